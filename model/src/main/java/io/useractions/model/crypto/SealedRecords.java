package io.useractions.model.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;

/**
 * A Kafka value sealed with its participant's {@link DataKey}: a raw record, a row of a table spanning
 * actions, a session's state. In clear only what routing and the withdrawal need, the rest compressed and
 * then sealed by {@link PayloadCipher} (ciphertext does not compress, so the topic's own lz4 would get
 * nothing):
 * <pre>
 *   0x00 | format (1 byte, {@value #FORMAT}) | study, participant, session (each: 2-byte length, UTF-8) | sealed payload
 *   sealed payload opens to: compression (1 byte: 0 none, 1 deflate, 2 zstd) | [original length (4 bytes) if compressed] | bytes
 * </pre>
 * Values are written with zstd (level 1): a quarter of deflate's CPU on the ingest's records, and smaller.
 * Deflated values, written before, still open.
 * The leading 0x00 tells a sealed value from a JSON record ({@code {}) without any header, so a topic
 * holding v1, v2 and sealed records reads in any order. The clear study, participant and session are the
 * payload's {@link RecordBinding}: changing them, or copying the payload to another record, fails to open.
 * The key id is in the sealed payload's header.
 */
public final class SealedRecords {
    public static final byte MAGIC = 0;
    public static final byte FORMAT = 1;
    /** A payload larger than this is refused when opened: no raw record, row or state comes near it. */
    public static final int MAX_OPENED_BYTES = 4 * 1024 * 1024;

    private static final byte STORED = 0;
    private static final byte DEFLATED = 1;
    private static final byte ZSTD = 2;
    /** Below this, the compressed frame and the length cost more than they save. */
    private static final int COMPRESS_FROM = 64;
    /** zstd's fastest regular level: a record of 40 actions in about a quarter of deflate's level 1 time. */
    private static final int ZSTD_LEVEL = 1;
    private static final ThreadLocal<ZstdCompressCtx> COMPRESSORS = ThreadLocal.withInitial(
            () -> new ZstdCompressCtx().setLevel(ZSTD_LEVEL));
    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESSORS = ThreadLocal.withInitial(ZstdDecompressCtx::new);
    /** A thread's scratch buffer for compressing: enough for the benchmark's and the logger's records. */
    private static final int SCRATCH_BYTES = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

    /** The data keys a reader may use: looked up by the participant and the key id a payload names. */
    public interface Keys {
        /** No keys at all: every sealed value reads as gone. */
        Keys NONE = new Keys() {
            @Override
            public DataKey find(String study, String participant, int keyId) {
                return null;
            }

            @Override
            public DataKey current(String study, String participant) {
                return null;
            }
        };

        /** The key, or null when it is gone (the participant withdrew) or never existed. */
        DataKey find(String study, String participant, int keyId);

        /** The participant's newest key, to seal with; null when they have none. */
        DataKey current(String study, String participant);
    }

    /** The clear part of a sealed value. */
    public record Envelope(RecordBinding binding, int keyId) {
        public String study() {
            return binding.study();
        }

        public String participant() {
            return binding.participant();
        }
    }

    private SealedRecords() {
    }

    /** Whether a value is sealed (else it is a JSON record, or something no reader accepts). */
    public static boolean isSealed(byte[] value) {
        return value != null && value.length > 0 && value[0] == MAGIC;
    }

    /** {@code plain} compressed and sealed with {@code key} for the record {@code binding} names. */
    public static byte[] seal(DataKey key, RecordBinding binding, byte[] plain) {
        byte[] s = binding.study().getBytes(StandardCharsets.UTF_8);
        byte[] p = binding.participant().getBytes(StandardCharsets.UTF_8);
        byte[] session = binding.session().getBytes(StandardCharsets.UTF_8);
        int head = 2 + 3 * 2 + s.length + p.length + session.length;
        Payload payload = compress(plain);
        // One allocation of the record's size: the payload is compressed into this thread's scratch buffer
        // and sealed straight into the value after its clear part.
        byte[] value = new byte[head + PayloadCipher.OVERHEAD + payload.length()];
        value[0] = MAGIC;
        value[1] = FORMAT;
        int at = 2;
        for (byte[] part : new byte[][] { s, p, session }) {
            if (part.length > 0xFFFF) {
                throw new IllegalArgumentException("a clear field of a sealed record has at most 65535 bytes");
            }
            value[at++] = (byte) (part.length >>> 8);
            value[at++] = (byte) part.length;
            System.arraycopy(part, 0, value, at, part.length);
            at += part.length;
        }
        PayloadCipher.seal(key, binding, payload.bytes(), 0, payload.length(), value, at);
        return value;
    }

    /** The clear part of a sealed value; refused when it is not one or is cut short. */
    public static Envelope envelope(byte[] value) {
        return new Envelope(binding(value), PayloadCipher.keyId(payload(value)));
    }

    /**
     * The clear bytes of a value: itself when it is not sealed, else opened with the key {@code keys} finds;
     * null when that key is gone. Throws {@link SealedPayloadException} for a sealed value that does not open.
     */
    public static byte[] open(byte[] value, Keys keys) {
        if (!isSealed(value)) {
            return value;
        }
        RecordBinding binding = binding(value);
        byte[] sealed = payload(value);
        DataKey key = keys.find(binding.study(), binding.participant(), PayloadCipher.keyId(sealed));
        return key == null ? null : decompress(PayloadCipher.open(key, binding, sealed));
    }

    /** A sealed value opened with {@code key}; throws {@link SealedPayloadException} when it does not open. */
    public static byte[] open(byte[] value, DataKey key) {
        return decompress(PayloadCipher.open(key, binding(value), payload(value)));
    }

    private static int skipClear(byte[] value) {
        if (!isSealed(value) || value.length < 2) {
            throw new SealedPayloadException(SealedPayloadException.Reason.UNKNOWN_VERSION, "not a sealed record");
        }
        if (value[1] != FORMAT) {
            throw new SealedPayloadException(SealedPayloadException.Reason.UNKNOWN_VERSION, "unknown sealed record "
                    + "format " + (value[1] & 0xFF) + ", this code reads format " + FORMAT);
        }
        int at = 2;
        for (int i = 0; i < 3; i++) {
            if (at + 2 > value.length) {
                throw truncated();
            }
            at += 2 + (((value[at] & 0xFF) << 8) | (value[at + 1] & 0xFF));
        }
        if (at > value.length) {
            throw truncated();
        }
        return at;
    }

    /** The study, participant and session a sealed value keeps in clear; refused when it is not one or is cut short. */
    public static RecordBinding binding(byte[] value) {
        skipClear(value);
        String[] parts = new String[3];
        int at = 2;
        for (int i = 0; i < 3; i++) {
            int length = ((value[at] & 0xFF) << 8) | (value[at + 1] & 0xFF);
            parts[i] = new String(value, at + 2, length, StandardCharsets.UTF_8);
            at += 2 + length;
        }
        return new RecordBinding(parts[0], parts[1], parts[2]);
    }

    private static byte[] payload(byte[] value) {
        return Arrays.copyOfRange(value, skipClear(value), value.length);
    }

    private static SealedPayloadException truncated() {
        return new SealedPayloadException(SealedPayloadException.Reason.TRUNCATED, "the sealed record is cut short");
    }

    /** The payload to seal: its first {@code length} bytes of {@code bytes}, which may be a scratch buffer. */
    record Payload(byte[] bytes, int length) {
    }

    /**
     * The compression byte, the original length and the deflated bytes, or the compression byte and the
     * bytes as they are when deflate does not make them smaller; written into this thread's scratch buffer
     * when they fit, valid until its next call.
     */
    static Payload compress(byte[] plain) {
        int bound = 5 + (int) Zstd.compressBound(plain.length);
        byte[] out = bound <= SCRATCH_BYTES ? SCRATCH.get() : new byte[bound];
        if (plain.length >= COMPRESS_FROM) {
            int length = COMPRESSORS.get().compressByteArray(out, 5, bound - 5, plain, 0, plain.length);
            if (length < plain.length) {
                out[0] = ZSTD;
                out[1] = (byte) (plain.length >>> 24);
                out[2] = (byte) (plain.length >>> 16);
                out[3] = (byte) (plain.length >>> 8);
                out[4] = (byte) plain.length;
                return new Payload(out, 5 + length);
            }
        }
        out[0] = STORED;
        System.arraycopy(plain, 0, out, 1, plain.length);
        return new Payload(out, 1 + plain.length);
    }

    static byte[] decompress(byte[] payload) {
        if (payload.length >= 1 && payload[0] == STORED) {
            return Arrays.copyOfRange(payload, 1, payload.length);
        }
        if (payload.length < 5 || payload[0] != DEFLATED && payload[0] != ZSTD) {
            throw new SealedPayloadException(SealedPayloadException.Reason.UNKNOWN_VERSION,
                    "unknown compression in a sealed record");
        }
        int length = ((payload[1] & 0xFF) << 24) | ((payload[2] & 0xFF) << 16) | ((payload[3] & 0xFF) << 8)
                | (payload[4] & 0xFF);
        if (length < 0 || length > MAX_OPENED_BYTES) {
            throw new SealedPayloadException(SealedPayloadException.Reason.TRUNCATED,
                    "a sealed record that opens to " + length + " bytes, over " + MAX_OPENED_BYTES);
        }
        if (payload[0] == ZSTD) {
            return unzstd(payload, length);
        }
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        inflater.setInput(payload, 5, payload.length - 5);
        byte[] plain = new byte[length];
        try {
            int at = 0;
            while (at < length) {
                int n = inflater.inflate(plain, at, length - at);
                if (n == 0 && (inflater.finished() || inflater.needsInput())) {
                    break;
                }
                at += n;
            }
            if (at != length) {
                throw new SealedPayloadException(SealedPayloadException.Reason.TRUNCATED,
                        "a sealed record's payload inflates to " + at + " bytes, not " + length);
            }
        } catch (DataFormatException e) {
            throw new SealedPayloadException(SealedPayloadException.Reason.TRUNCATED,
                    "a sealed record's payload does not inflate: " + e.getMessage());
        }
        return plain;
    }

    private static byte[] unzstd(byte[] payload, int length) {
        byte[] plain = new byte[length];
        int at;
        try {
            at = DECOMPRESSORS.get().decompressByteArray(plain, 0, length, payload, 5, payload.length - 5);
        } catch (RuntimeException e) {
            throw new SealedPayloadException(SealedPayloadException.Reason.TRUNCATED,
                    "a sealed record's payload does not decompress: " + e.getMessage());
        }
        if (at != length) {
            throw new SealedPayloadException(SealedPayloadException.Reason.TRUNCATED,
                    "a sealed record's payload decompresses to " + at + " bytes, not " + length);
        }
        return plain;
    }
}
