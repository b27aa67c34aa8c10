package io.useractions.ingest.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.useractions.ingest.access.CorsFilter;
import io.useractions.ingest.access.StudyRegistry;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.ApiError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * How the Vert.x routes ahead of RESTEasy ({@link BatchRoute}, {@link BodyLimitFilter}) answer: JSON, with
 * the CORS headers a registered origin needs to read it, and for an error the status, code and
 * {@code Retry-After} of {@link ErrorMapper}, as RESTEasy's endpoints answer it.
 */
@ApplicationScoped
public class RouteAnswers {
    @Inject
    StudyRegistry registry;
    @Inject
    IngestConfig config;
    @Inject
    MeterRegistry meters;
    @Inject
    ObjectMapper mapper;

    /** Sets the status and headers of {@code failure}'s error answer (and counts it); returns its JSON. */
    String error(RoutingContext context, Throwable failure) {
        ApiError error = ErrorMapper.error(failure, meters, config);
        if (error.retryAfterSeconds() != null) {
            context.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
        }
        try {
            return json(context, error.status(), mapper.writeValueAsString(error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the status, the content type and the CORS headers a registered origin needs; returns {@code json}. */
    String json(RoutingContext context, int status, String json) {
        HttpServerResponse response = context.response();
        String origin = context.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null && registry.isKnownOrigin(origin)) {
            CorsFilter.answerHeaders(origin).forEach(response::putHeader);
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        return json;
    }

    /** The request's declared body length; -1 without one (chunked) or when it is not a number. */
    static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
