package io.useractions.ingest.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.useractions.ingest.access.CorsFilter;
import io.useractions.ingest.access.StudyRegistry;
import io.useractions.ingest.config.IngestConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body whose declared length is over {@code ual.ingest.max-body-bytes} without parsing it, with
 * the JSON 413 of every other size error: up to the hard cap the body is read and dropped first, so that
 * the client reads the answer; beyond it the connection is closed after the answer. It is a route ahead of the HTTP server's own hard cap
 * ({@code quarkus.http.limits.max-body-size}), which would answer a larger declared length without a body.
 * A body without a declared length (chunked) is bounded as it is read, by {@link BodyLimitInterceptor}.
 */
@ApplicationScoped
public class BodyLimitFilter {
    private final IngestConfig config;
    private final StudyRegistry registry;
    private final MeterRegistry meters;
    private final ObjectMapper mapper;

    private final long hardCap;

    public BodyLimitFilter(IngestConfig config, StudyRegistry registry, MeterRegistry meters, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize hardCap) {
        this.hardCap = hardCap.asLongValue();
        this.config = config;
        this.registry = registry;
        this.meters = meters;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::declaredLength);
    }

    private void declaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length <= config.maxBodyBytes()) {
            context.next();
            return;
        }
        ErrorMapper.rejected(meters, "payload_too_large");
        ApiError error = ApiError.of(413, "payload_too_large",
                "the body has " + length + " bytes, over the limit of " + config.maxBodyBytes());
        HttpServerResponse response = context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        String origin = context.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null && registry.isKnownOrigin(origin)) {
            CorsFilter.answerHeaders(origin).forEach(response::putHeader);
        }
        String body;
        try {
            body = mapper.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (length <= hardCap || context.request().version() == HttpVersion.HTTP_2) {
            // Read and drop the body, then answer: a client still sending it reads the answer, which a
            // connection closed under it would lose, and the connection carries the next request.
            context.request().handler(ignored -> { }).endHandler(ended -> response.end(body));
            return;
        }
        // Beyond the hard cap the body is not read: the connection cannot carry another request.
        response.putHeader(HttpHeaders.CONNECTION, "close");
        response.endHandler(ended -> context.request().connection().close());
        response.end(body);
    }
}
