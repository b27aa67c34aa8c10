package io.useractions.processor.admin;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.useractions.model.ApiError;
import io.useractions.processor.withdrawal.WithdrawalService;

/** How the admin API answers an error: its {@link ApiError} as JSON, with the {@code Retry-After} the body names. */
final class ErrorAnswers {
    /** Seconds after which a request that waited in vain for the withdrawal lock may try again. */
    private static final int BUSY_RETRY_SECONDS = 10;

    private ErrorAnswers() {
    }

    static Response of(ApiError error) {
        Response.ResponseBuilder response = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error);
        if (error.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, error.retryAfterSeconds());
        }
        return response.build();
    }

    /** 503 {@code busy}: the request waited too long for the lock a replay or another deletion holds. */
    static Response busy(WithdrawalService.Busy e) {
        return of(new ApiError(503, "busy", null, e.getMessage(), BUSY_RETRY_SECONDS));
    }
}
