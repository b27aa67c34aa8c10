package io.useractions.ingest.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.useractions.ingest.access.AccessDeniedException;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.ingest.kafka.PublishException;
import io.useractions.model.ValidationException;

/** Maps every failure to a JSON {@link ApiError}; client mistakes are 4xx, never 500. */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @Inject
    MeterRegistry registry;
    @Inject
    IngestConfig config;

    @ServerExceptionMapper
    public RestResponse<ApiError> invalid(ValidationException e) {
        int status = e.tooLarge() ? 413 : 400;
        String code = e.tooLarge() ? "payload_too_large" : "invalid_batch";
        rejected(code);
        String field = e.field() == null || e.field().isEmpty() ? null : e.field();
        return json(status, new ApiError(status, code, field, e.getMessage(), null));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> unavailable(PublishException e) {
        rejected("kafka_unavailable");
        LOG.warnf("Answering 503: %s", e.getMessage());
        int retryAfter = config.retryAfterSeconds();
        return RestResponse.ResponseBuilder
                .create(Response.Status.SERVICE_UNAVAILABLE, new ApiError(503, "unavailable", null,
                        e.getMessage() + "; the batch may be partly stored: retry it with the same ids", retryAfter))
                .header(HttpHeaders.RETRY_AFTER, retryAfter)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> denied(AccessDeniedException e) {
        rejected(e.code());
        var response = RestResponse.ResponseBuilder.<ApiError> create(e.status())
                .entity(new ApiError(e.status(), e.code(), e.field(), e.getMessage(),
                        e.retryAfterSeconds() > 0 ? (int) e.retryAfterSeconds() : null))
                .type(MediaType.APPLICATION_JSON_TYPE);
        if (e.retryAfterSeconds() > 0) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "server_error" : "bad_request";
        };
        String message = status == 415
                ? "send the batch as application/json or text/plain (JSON text)"
                : e.getMessage();
        if (status < 500) {
            rejected(code);
        }
        return json(status, ApiError.of(status, code, message));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return json(500, ApiError.of(500, "server_error", "unexpected server error"));
    }

    private void rejected(String reason) {
        rejected(registry, reason);
    }

    static void rejected(MeterRegistry registry, String reason) {
        Counter.builder("ual.ingest.batches.rejected").description("Batches answered with an error")
                .tag("reason", reason).register(registry).increment();
    }

    private static RestResponse<ApiError> json(int status, ApiError body) {
        return RestResponse.ResponseBuilder.<ApiError> create(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
