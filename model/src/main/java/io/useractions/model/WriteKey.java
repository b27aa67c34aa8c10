package io.useractions.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A study's write key as stored: only its SHA-256, and when it works, from {@code validFrom} until
 * {@code validUntil} (for ever when null). The processor's admin API writes keys, every ingest instance
 * checks them; both through this one class.
 */
public record WriteKey(String hash, Instant validFrom, Instant validUntil) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Whether the key works at {@code now}: from its start (inclusive) to its end (exclusive). */
    public boolean validAt(Instant now) {
        return !now.isBefore(validFrom) && (validUntil == null || now.isBefore(validUntil));
    }

    /**
     * This key after a rotation at {@code now} with an {@code overlap}: it keeps working until the overlap
     * ends, or until its own end when that comes first.
     */
    public WriteKey rotatedOut(Instant now, Duration overlap) {
        Instant end = now.plus(overlap);
        return validUntil != null && validUntil.isBefore(end) ? this : new WriteKey(hash, validFrom, end);
    }

    /** A new random key: 32 bytes from a SecureRandom, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of a key's UTF-8 bytes: what is stored and compared, never the key itself. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
