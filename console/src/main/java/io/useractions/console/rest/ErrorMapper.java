package io.useractions.console.rest;

import java.sql.SQLException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.useractions.model.ApiError;
import io.useractions.research.export.ExportRequestException;
import io.useractions.research.export.UnknownStudyException;
import io.useractions.research.heatmap.OverlayException;

/**
 * Errors as the ingest and the processor answer them ({@link ApiError}): a bad request names its problem, an
 * unknown study or screenshot is a 404, a database failure a 503, the framework's own refusals (an unknown
 * path, a wrong method) carry a code of their status, anything else is a logged 500.
 */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response badRequest(ExportRequestException e) {
        return e instanceof UnknownStudyException ? answer(ApiError.of(404, "unknown_study", e.getMessage()))
                : answer(ApiError.of(400, "invalid_request", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response overlay(OverlayException e) {
        return answer(e.tooLarge() ? ApiError.of(413, "payload_too_large", e.getMessage())
                : ApiError.of(400, "invalid_overlay", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response screenshot(HeatmapResource.UnknownScreenshotException e) {
        return answer(ApiError.of(404, "unknown_screenshot", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response database(SQLException e) {
        LOG.warnf("Export failed before streaming: %s", e.getMessage());
        return answer(new ApiError(503, "unavailable", null, "database unavailable: " + e.getMessage(), 5));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Failure of a console request", e);
        }
        return answer(ApiError.of(status, ApiError.code(status), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure of a console request", e);
        return answer(ApiError.of(500, "server_error", "unexpected server error; see the console's log"));
    }

    /** The answer with {@code error} as its body, and its {@code Retry-After} when it has one. */
    public static Response answer(ApiError error) {
        Response.ResponseBuilder response = Response.status(error.status()).type(MediaType.APPLICATION_JSON)
                .entity(error);
        if (error.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, error.retryAfterSeconds());
        }
        return response.build();
    }
}
