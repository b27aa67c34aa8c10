package io.useractions.model.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.spec.SecretKeySpec;

/**
 * A participant's data key: 32 random bytes for AES-256-GCM and the id under which the payloads it sealed
 * name it, so that a participant's key can be rotated while records sealed with the old one stay readable.
 * Destroying every copy of it (PostgreSQL row, caches) is what makes those payloads unreadable everywhere.
 * Immutable and safe to share between threads; its {@link #toString()} never shows the key.
 */
public final class DataKey {
    public static final int BYTES = 32;

    /** Seeded from the operating system once; DRBG instances are thread-safe and need no lock around them. */
    private static final SecureRandom RANDOM = drbg();

    private final int id;
    private final SecretKeySpec spec;

    private DataKey(int id, byte[] key) {
        this.id = id;
        this.spec = new SecretKeySpec(key, "AES");
    }

    /** A new random key with this id. */
    public static DataKey generate(int id) {
        byte[] key = new byte[BYTES];
        RANDOM.nextBytes(key);
        DataKey dataKey = new DataKey(id, key);
        Arrays.fill(key, (byte) 0);
        return dataKey;
    }

    /** A stored key, for instance one {@link KeyWrapper#unwrap unwrapped}; refused unless it has {@value #BYTES} bytes. */
    public static DataKey of(int id, byte[] key) {
        if (key == null || key.length != BYTES) {
            throw new IllegalArgumentException("a data key has " + BYTES + " bytes, not "
                    + (key == null ? "none" : key.length));
        }
        return new DataKey(id, key);
    }

    public int id() {
        return id;
    }

    /** A copy of the key's bytes, for wrapping it; the caller should clear it after use. */
    public byte[] bytes() {
        return spec.getEncoded();
    }

    /** The shared generator of keys and of rare nonces (wrapping); hot paths keep one per thread. */
    static SecureRandom random() {
        return RANDOM;
    }

    SecretKeySpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "DataKey[id=" + id + "]";
    }

    static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
