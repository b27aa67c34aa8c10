package io.useractions.model.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wraps data keys with a master key from configuration, so that PostgreSQL holds only wrapped keys and a
 * dump of the key table alone reads nothing. Destroying a participant's data is still deleting their row:
 * the master key cannot bring back a key whose wrapped form is gone.
 *
 * <p>AES-256-GCM rather than AES-KW (RFC 3394): GCM takes associated data, here the study, participant and
 * data key id, so a wrapped key copied into another participant's row does not unwrap there; AES-KW has
 * none, and is deterministic, which would show equal keys as equal rows. The wrapped form is
 * <pre>
 *   version (1 byte, {@value #VERSION}) | master key id (4 bytes) | nonce (12 random bytes) | wrapped key (32 bytes) | tag (16 bytes)
 * </pre>
 * {@value #WRAPPED_BYTES} bytes. The master key id lets a new master key take over while rows wrapped with
 * the old one are re-wrapped. One random nonce per wrap, far below GCM's 2<sup>32</sup> per key even with a
 * wrap per participant per rotation. Thread-safe: each call has its own {@link Cipher}, as wrapping is rare
 * (a key's creation, a cache miss).
 */
public final class KeyWrapper {
    public static final byte VERSION = 1;
    public static final int WRAPPED_BYTES = PayloadCipher.OVERHEAD + DataKey.BYTES;

    private final int masterKeyId;
    private final SecretKeySpec masterKey;

    private KeyWrapper(int masterKeyId, byte[] masterKey) {
        if (masterKey == null || masterKey.length != DataKey.BYTES) {
            throw new IllegalArgumentException("a master key has " + DataKey.BYTES + " bytes, not "
                    + (masterKey == null ? "none" : masterKey.length));
        }
        this.masterKeyId = masterKeyId;
        this.masterKey = new SecretKeySpec(masterKey, "AES");
    }

    public static KeyWrapper of(int masterKeyId, byte[] masterKey) {
        return new KeyWrapper(masterKeyId, masterKey);
    }

    /** The master key as configuration gives it: 32 bytes in standard Base64; the message never shows the value. */
    public static KeyWrapper fromBase64(int masterKeyId, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the master key is not valid Base64");
        }
        try {
            return new KeyWrapper(masterKeyId, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    public int masterKeyId() {
        return masterKeyId;
    }

    /** The master key id of a wrapped key, to pick the master key that unwraps it. */
    public static int masterKeyId(byte[] wrapped) {
        check(wrapped);
        return ByteBuffer.wrap(wrapped, 1, Integer.BYTES).getInt();
    }

    /** {@code key} wrapped for the participant it belongs to. */
    public byte[] wrap(DataKey key, String study, String participant) {
        byte[] nonce = new byte[PayloadCipher.NONCE_BYTES];
        DataKey.random().nextBytes(nonce);
        byte[] wrapped = ByteBuffer.allocate(WRAPPED_BYTES).put(VERSION).putInt(masterKeyId).put(nonce).array();
        byte[] plain = key.bytes();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(PayloadCipher.TAG_BYTES * 8, nonce));
            cipher.updateAAD(wrapped, 0, PayloadCipher.HEADER_BYTES);
            cipher.updateAAD(context(key.id(), study, participant));
            cipher.doFinal(plain, 0, plain.length, wrapped, PayloadCipher.HEADER_BYTES + PayloadCipher.NONCE_BYTES);
            return wrapped;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to wrap: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The data key with id {@code keyId} that {@link #wrap} wrapped for this participant. */
    public DataKey unwrap(byte[] wrapped, int keyId, String study, String participant) {
        int id = masterKeyId(wrapped);
        if (id != masterKeyId) {
            throw new SealedPayloadException(SealedPayloadException.Reason.WRONG_KEY,
                    "the data key was wrapped with master key " + id + ", not with the configured " + masterKeyId);
        }
        byte[] plain = new byte[DataKey.BYTES];
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(PayloadCipher.TAG_BYTES * 8, wrapped,
                    PayloadCipher.HEADER_BYTES, PayloadCipher.NONCE_BYTES));
            cipher.updateAAD(wrapped, 0, PayloadCipher.HEADER_BYTES);
            cipher.updateAAD(context(keyId, study, participant));
            int start = PayloadCipher.HEADER_BYTES + PayloadCipher.NONCE_BYTES;
            cipher.doFinal(wrapped, start, wrapped.length - start, plain, 0);
            return DataKey.of(keyId, plain);
        } catch (AEADBadTagException e) {
            throw new SealedPayloadException(SealedPayloadException.Reason.NOT_AUTHENTIC, "the wrapped data key does "
                    + "not authenticate: it was changed, wrapped by another master key of id " + id
                    + ", or belongs to another participant or key id than " + study + "/" + participant + " key " + keyId, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to unwrap: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] context(int keyId, String study, String participant) {
        byte[] s = study.getBytes(StandardCharsets.UTF_8);
        byte[] p = participant.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 * Integer.BYTES + s.length + p.length).putInt(keyId).putInt(s.length).put(s)
                .putInt(p.length).put(p).array();
    }

    private static void check(byte[] wrapped) {
        if (wrapped == null || wrapped.length != WRAPPED_BYTES) {
            throw new SealedPayloadException(SealedPayloadException.Reason.TRUNCATED, "a wrapped data key has "
                    + WRAPPED_BYTES + " bytes, this one " + (wrapped == null ? "none" : wrapped.length));
        }
        if (wrapped[0] != VERSION) {
            throw new SealedPayloadException(SealedPayloadException.Reason.UNKNOWN_VERSION, "unknown wrapped key "
                    + "version " + (wrapped[0] & 0xFF) + ", this code reads version " + VERSION);
        }
    }

    @Override
    public String toString() {
        return "KeyWrapper[masterKeyId=" + masterKeyId + "]";
    }
}
