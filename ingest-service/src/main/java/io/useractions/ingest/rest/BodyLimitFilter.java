package io.useractions.ingest.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;
import io.useractions.ingest.config.IngestConfig;

/**
 * Refuses a body whose declared length is over the limit before it is read, with the same JSON 413 as
 * every other size error (Vert.x's own cap, above it, answers without a body).
 */
public class BodyLimitFilter {
    private final IngestConfig config;

    public BodyLimitFilter(IngestConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public RestResponse<ApiError> declaredLength(HttpServerRequest request) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (length <= config.maxBodyBytes()) {
            return null;
        }
        return RestResponse.ResponseBuilder.<ApiError> create(413)
                .entity(new ApiError(413, "payload_too_large", null, "the body has " + length
                        + " bytes, over the limit of " + config.maxBodyBytes(), null))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
