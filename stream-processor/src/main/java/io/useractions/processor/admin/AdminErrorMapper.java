package io.useractions.processor.admin;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.useractions.model.ApiError;
import io.useractions.model.RefusedException;
import io.useractions.processor.withdrawal.WithdrawalService;

/**
 * Every failure of the admin API answered as an {@link ApiError}: a refused request with its own body, the
 * framework's 4xx (unknown path, wrong method or media type, a body that is not JSON) with a code of its
 * status, anything else as a logged 500.
 */
public class AdminErrorMapper {
    private static final Logger LOG = Logger.getLogger(AdminErrorMapper.class);
    /** Seconds after which a request that waited in vain for the withdrawal lock may try again. */
    private static final int BUSY_RETRY_SECONDS = 10;

    @ServerExceptionMapper
    public Response refused(RefusedException e) {
        return answer(e.answer());
    }

    /** 503 {@code busy}: the request waited too long for the lock a replay or another deletion holds. */
    @ServerExceptionMapper
    public Response busy(WithdrawalService.Busy e) {
        return answer(new ApiError(503, "busy", null, e.getMessage(), BUSY_RETRY_SECONDS));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Failure of an admin request", e);
            return answer(ApiError.of(status, "server_error", e.getMessage()));
        }
        // a 400 of the framework's own is a body it could not read as the call's JSON
        String code = status == 400 ? "invalid_body" : ApiError.code(status);
        String message = status == 400 ? "the body is not the JSON this call takes: " + e.getMessage() : e.getMessage();
        return answer(ApiError.of(status, code, message));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure of an admin request", e);
        return answer(ApiError.of(500, "server_error", "unexpected server error; see the processor's log"));
    }

    /** {@code error} as JSON, with the {@code Retry-After} header its body names. */
    static Response answer(ApiError error) {
        Response.ResponseBuilder response = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error);
        if (error.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, error.retryAfterSeconds());
        }
        return response.build();
    }
}
