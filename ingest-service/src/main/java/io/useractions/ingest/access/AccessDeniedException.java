package io.useractions.ingest.access;

import io.useractions.model.ApiError;
import io.useractions.model.RefusedException;

/** A batch refused for who sent it rather than what it holds: 401, 403, 410 or 429. */
public class AccessDeniedException extends RefusedException {

    public AccessDeniedException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /** @param retryAfterSeconds the {@code Retry-After} to answer with, or 0 for none */
    public AccessDeniedException(int status, String code, String message, long retryAfterSeconds) {
        super(new ApiError(status, code, null, message, retryAfterSeconds > 0 ? (int) retryAfterSeconds : null));
    }

    /** Refused for the value of a field of the batch: a closed study, a withdrawn participant. */
    public AccessDeniedException(int status, String code, String field, String message) {
        super(status, code, field, message);
    }
}
