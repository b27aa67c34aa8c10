package io.useractions.model.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a raw record's payload (its actions) with its participant's {@link DataKey}, AES-256-GCM, so that
 * destroying the key makes every copy of the payload in Kafka unreadable at once (crypto-shredding,
 * docs/withdrawal.md). The sealed form is
 * <pre>
 *   version (1 byte, {@value #VERSION}) | key id (4 bytes, big-endian) | nonce (12 random bytes) | ciphertext | tag (16 bytes)
 * </pre>
 * {@value #OVERHEAD} bytes more than the payload. The associated data is the version and key id followed by
 * the {@link RecordBinding} (study, participant, session), so neither the header nor the record a payload
 * belongs to can change without the payload failing to open.
 *
 * <p>Random 96-bit nonces: NIST SP 800-38D allows 2<sup>32</sup> of them per key, and a key is one
 * participant's, who sends thousands of records, not billions. Each thread keeps its own {@link Cipher} and
 * {@link SecureRandom}, so the methods are thread-safe without a lock, and sealing allocates the result, the
 * nonce and its parameter object: nothing proportional to the payload but the result.
 */
public final class PayloadCipher {
    public static final byte VERSION = 1;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    public static final int HEADER_BYTES = 1 + Integer.BYTES;
    /** What sealing adds to a payload: header, nonce and tag. */
    public static final int OVERHEAD = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(PayloadCipher::newCipher);
    private static final ThreadLocal<SecureRandom> NONCES = ThreadLocal.withInitial(DataKey::drbg);

    private PayloadCipher() {
    }

    /** The payload sealed with {@code key} for the record {@code binding} names. */
    public static byte[] seal(DataKey key, RecordBinding binding, byte[] payload) {
        return seal(key, binding, payload, 0, payload.length);
    }

    /** {@code length} bytes of {@code payload} from {@code offset}, sealed with {@code key} for {@code binding}. */
    public static byte[] seal(DataKey key, RecordBinding binding, byte[] payload, int offset, int length) {
        byte[] sealed = new byte[OVERHEAD + length];
        seal(key, binding, payload, offset, length, sealed, 0);
        return sealed;
    }

    /**
     * Like {@link #seal(DataKey, RecordBinding, byte[], int, int)}, written into {@code into} from {@code at}
     * ({@value #OVERHEAD} bytes more than {@code length}), so that a caller framing the result allocates once.
     */
    static void seal(DataKey key, RecordBinding binding, byte[] payload, int offset, int length, byte[] into,
            int at) {
        writeHeader(into, at, key.id());
        byte[] nonce = new byte[NONCE_BYTES];
        NONCES.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, into, at + HEADER_BYTES, NONCE_BYTES);
        Cipher cipher = CIPHERS.get();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(into, at, HEADER_BYTES);
            cipher.updateAAD(binding.encoded());
            cipher.doFinal(payload, offset, length, into, at + HEADER_BYTES + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to seal: " + e.getMessage(), e);
        }
    }

    /**
     * The key id a sealed payload names, to look its key up before {@link #open}; refused when it is too short
     * or of an unknown version.
     */
    public static int keyId(byte[] sealed) {
        checkHeader(sealed);
        return ((sealed[1] & 0xFF) << 24) | ((sealed[2] & 0xFF) << 16) | ((sealed[3] & 0xFF) << 8) | (sealed[4] & 0xFF);
    }

    /** The payload {@link #seal} sealed, if {@code key} and {@code binding} are the ones it was sealed with. */
    public static byte[] open(DataKey key, RecordBinding binding, byte[] sealed) {
        int id = keyId(sealed);
        if (id != key.id()) {
            throw new SealedPayloadException(SealedPayloadException.Reason.WRONG_KEY,
                    "the payload was sealed with data key " + id + ", not with the given key " + key.id());
        }
        Cipher cipher = CIPHERS.get();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key.spec(),
                    new GCMParameterSpec(TAG_BYTES * 8, sealed, HEADER_BYTES, NONCE_BYTES));
            cipher.updateAAD(sealed, 0, HEADER_BYTES);
            cipher.updateAAD(binding.encoded());
            int start = HEADER_BYTES + NONCE_BYTES;
            byte[] payload = new byte[sealed.length - OVERHEAD];
            cipher.doFinal(sealed, start, sealed.length - start, payload, 0);
            return payload;
        } catch (AEADBadTagException e) {
            throw new SealedPayloadException(SealedPayloadException.Reason.NOT_AUTHENTIC, "the payload does not "
                    + "authenticate: it was changed, sealed with another key of id " + id + ", or belongs to another "
                    + "record than " + binding, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to open: " + e.getMessage(), e);
        }
    }

    private static void writeHeader(byte[] sealed, int at, int keyId) {
        sealed[at] = VERSION;
        sealed[at + 1] = (byte) (keyId >>> 24);
        sealed[at + 2] = (byte) (keyId >>> 16);
        sealed[at + 3] = (byte) (keyId >>> 8);
        sealed[at + 4] = (byte) keyId;
    }

    private static void checkHeader(byte[] sealed) {
        if (sealed == null || sealed.length < OVERHEAD) {
            throw new SealedPayloadException(SealedPayloadException.Reason.TRUNCATED, "a sealed payload has at least "
                    + OVERHEAD + " bytes (header, nonce and tag), this one " + (sealed == null ? "none" : sealed.length));
        }
        if (sealed[0] != VERSION) {
            throw new SealedPayloadException(SealedPayloadException.Reason.UNKNOWN_VERSION, "unknown sealed payload "
                    + "version " + (sealed[0] & 0xFF) + ", this code reads version " + VERSION);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + TRANSFORMATION, e);
        }
    }
}
