package io.useractions.ingest.access;

import io.useractions.model.RefusedException;

/** A batch refused for who sent it rather than what it holds: 401, 403, 410 or 429. */
public class AccessDeniedException extends RefusedException {
    private final long retryAfterSeconds;

    public AccessDeniedException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public AccessDeniedException(int status, String code, String message, long retryAfterSeconds) {
        super(status, code, null, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Refused for the value of a field of the batch: a closed study, a withdrawn participant. */
    public AccessDeniedException(int status, String code, String field, String message) {
        super(status, code, field, message);
        this.retryAfterSeconds = 0;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
