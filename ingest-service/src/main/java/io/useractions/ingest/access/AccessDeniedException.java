package io.useractions.ingest.access;

/** A batch refused for who sent it rather than what it holds: 401, 403 or 429. */
public class AccessDeniedException extends RuntimeException {
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public AccessDeniedException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public AccessDeniedException(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
