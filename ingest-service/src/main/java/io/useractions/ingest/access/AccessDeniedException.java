package io.useractions.ingest.access;

/** A batch refused for who sent it rather than what it holds: 401, 403, 410 or 429. */
public class AccessDeniedException extends RuntimeException {
    private final int status;
    private final String code;
    private final long retryAfterSeconds;
    private final String field;

    public AccessDeniedException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public AccessDeniedException(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.field = null;
    }

    /** Refused for the value of a field of the batch: a closed study, a withdrawn participant. */
    public AccessDeniedException(int status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = 0;
        this.field = field;
    }

    /** The field of the batch at fault, or null. */
    public String field() {
        return field;
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
