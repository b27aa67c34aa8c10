package io.useractions.ingest.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.useractions.ingest.access.AccessDeniedException;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.ingest.kafka.PublishException;
import io.useractions.model.ApiError;
import io.useractions.model.ValidationException;

/**
 * Maps every failure to a JSON {@link ApiError}; client mistakes are 4xx, never 500. {@link #error} is the
 * one mapping, used by RESTEasy's endpoints here and by {@link BatchRoute}.
 */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @Inject
    MeterRegistry registry;
    @Inject
    IngestConfig config;

    /** Every failure of RESTEasy's endpoints, from a refused batch to a 404, through {@link #error}. */
    @ServerExceptionMapper
    public RestResponse<ApiError> map(Exception e) {
        return json(error(e, registry, config));
    }

    /**
     * The answer to a failure, counted as rejected when it is the client's: its status, and
     * {@link ApiError#retryAfterSeconds()} for a {@code Retry-After} header.
     */
    static ApiError error(Throwable e, MeterRegistry registry, IngestConfig config) {
        if (e instanceof ValidationException invalid) {
            int status = invalid.tooLarge() ? 413 : 400;
            String code = invalid.tooLarge() ? "payload_too_large" : "invalid_batch";
            rejected(registry, code);
            String field = invalid.field() == null || invalid.field().isEmpty() ? null : invalid.field();
            return new ApiError(status, code, field, invalid.getMessage(), null);
        }
        if (e instanceof PublishException) {
            rejected(registry, "kafka_unavailable");
            LOG.warnf("Answering 503: %s", e.getMessage());
            return new ApiError(503, "unavailable", null,
                    e.getMessage() + "; the batch may be partly stored: retry it with the same ids", config.retryAfterSeconds());
        }
        if (e instanceof AccessDeniedException denied) {
            rejected(registry, denied.answer().error());
            return denied.answer();
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            String code = ApiError.code(status);
            if (status < 500) {
                rejected(registry, code);
            }
            return ApiError.of(status, code, status == 415 ? UNSUPPORTED_MEDIA_TYPE : web.getMessage());
        }
        LOG.error("Unexpected failure", e);
        return ApiError.of(500, "server_error", "unexpected server error");
    }

    static final String UNSUPPORTED_MEDIA_TYPE = "send the batch as application/json or text/plain (JSON text)";

    static void rejected(MeterRegistry registry, String reason) {
        Counter.builder("ual.ingest.batches.rejected").description("Batches answered with an error")
                .tag("reason", reason).register(registry).increment();
    }

    private static RestResponse<ApiError> json(ApiError body) {
        var response = RestResponse.ResponseBuilder.<ApiError> create(body.status()).entity(body)
                .type(MediaType.APPLICATION_JSON_TYPE);
        if (body.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, body.retryAfterSeconds());
        }
        return response.build();
    }
}
