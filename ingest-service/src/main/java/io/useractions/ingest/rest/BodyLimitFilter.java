package io.useractions.ingest.rest;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.ValidationException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body whose declared length is over {@code ual.ingest.max-body-bytes} without parsing it, with
 * the JSON 413 of every other size error: the body is read and dropped first (up to {@link #DRAIN_BYTES}
 * and {@code ual.ingest.refused-body-drain-time}), so that the client reads the answer. It is a route
 * ahead of the HTTP server's own hard cap ({@code quarkus.http.limits.max-body-size}), which would answer
 * a larger declared length without a body.
 * A body without a declared length (chunked) is bounded as it is read: by {@link BatchRoute} for batches, by
 * {@link BodyLimitInterceptor} for RESTEasy's endpoints.
 */
@ApplicationScoped
public class BodyLimitFilter {
    /**
     * A refused body is read and dropped up to this much (or its declared length, if less), and for at most
     * {@code ual.ingest.refused-body-drain-time}; then the answer goes out and the connection is closed.
     */
    static final long DRAIN_BYTES = 16L * 1024 * 1024;

    private final IngestConfig config;
    private final RouteAnswers answers;

    public BodyLimitFilter(IngestConfig config, RouteAnswers answers) {
        this.config = config;
        this.answers = answers;
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::declaredLength);
    }

    private void declaredLength(RoutingContext context) {
        long length = RouteAnswers.declaredLength(context.request());
        if (length <= config.maxBodyBytes()) {
            context.next();
            return;
        }
        String body = answers.error(context, ValidationException.tooLarge("",
                "the body has " + length + " bytes, over the limit of " + config.maxBodyBytes()));
        drainThenAnswer(context.vertx(), context.request(), context.response(), body, config.refusedBodyDrainTime());
    }

    /**
     * Reads and drops the refused body, then answers. Closing a connection whose client is still sending
     * makes the kernel reset it, and a reset can discard the answer before the client reads it; a body read
     * whole also leaves the connection for the next request. A body larger than {@link #DRAIN_BYTES}, or
     * one still arriving after {@code drainTime}, is answered there and its connection closed (HTTP/2:
     * only the stream ends).
     */
    static void drainThenAnswer(Vertx vertx, HttpServerRequest request, HttpServerResponse response,
            String body, Duration drainTime) {
        long[] read = { 0 };
        long timer = vertx.setTimer(drainTime.toMillis(), fired -> answerAndClose(request, response, body));
        request.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] >= DRAIN_BYTES) {
                vertx.cancelTimer(timer);
                answerAndClose(request, response, body);
            }
        });
        request.endHandler(ended -> {
            vertx.cancelTimer(timer);
            if (!response.ended() && !response.closed()) {
                response.end(body);
            }
        });
        request.resume();
    }

    private static void answerAndClose(HttpServerRequest request, HttpServerResponse response, String body) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (request.version() != HttpVersion.HTTP_2) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(ended -> request.connection().close());
        }
        response.end(body);
    }
}
