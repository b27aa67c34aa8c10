package io.useractions.model.crypto;

/**
 * A sealed payload that cannot be opened, and why. AES-GCM cannot tell a wrong key with the right id from a
 * changed payload or a payload moved to another record: all three are {@link Reason#NOT_AUTHENTIC}.
 */
public final class SealedPayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Shorter than a header, nonce and tag. */
        TRUNCATED,
        /** A format version this code does not know (written by a newer one, or not a sealed payload at all). */
        UNKNOWN_VERSION,
        /** Sealed under another key id than the key given. */
        WRONG_KEY,
        /** The tag does not match: another key with the same id, a changed byte, or another record's binding. */
        NOT_AUTHENTIC
    }

    private final Reason reason;

    SealedPayloadException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    SealedPayloadException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
