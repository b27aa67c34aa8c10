package io.useractions.ingest.rest;

import java.util.Arrays;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.useractions.ingest.access.CorsFilter;
import io.useractions.ingest.access.RateLimiter;
import io.useractions.ingest.access.StudyRegistry;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.Batch;
import io.useractions.model.BatchParser;
import io.useractions.model.ValidationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/batches}, the hot path, as a Vert.x route ahead of RESTEasy: the body is read into one
 * array of its declared length (one copy of each chunk; RESTEasy's reading made four), then parsed,
 * checked and ingested on the event loop, and every answer is JSON with the status and field of
 * {@link ErrorMapper}. {@code text/plain} is accepted with the same JSON so that browsers can send it with
 * sendBeacon without a CORS preflight; preflights, the seed's {@code /analytics} and every other path stay
 * with RESTEasy ({@link BatchResource}, {@link CorsFilter}). Rate limits come before parsing (cheap), the
 * study's key and origin right after it. A declared length over the limit was refused before this route
 * ({@link BodyLimitFilter}); a chunked body is counted as it arrives and refused there.
 */
@ApplicationScoped
public class BatchRoute {
    static final String PATH = "/v1/batches";
    /** The first array for a body without a declared length; it doubles up to the limit as chunks arrive. */
    private static final int CHUNKED_START = 16 * 1024;

    @Inject
    BatchIngestor ingestor;
    @Inject
    StudyRegistry registry;
    @Inject
    RateLimiter limiter;
    @Inject
    IngestConfig config;
    @Inject
    RouteAnswers answers;
    private BatchParser parser;

    @PostConstruct
    void createParser() {
        parser = new BatchParser(config.limits());
    }

    void register(@Observes Router router) {
        // After the body limit and the security filters, before RESTEasy's route.
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_DEFAULT).handler(this::post);
        // Preflights go on to RESTEasy's CorsFilter; any other method is refused here.
        router.route(PATH).order(RouteConstants.ROUTE_ORDER_DEFAULT + 1).handler(context -> {
            if (context.request().method() == HttpMethod.OPTIONS) {
                context.next();
            } else {
                context.response().putHeader(HttpHeaders.ALLOW, "POST, OPTIONS");
                refuseUnread(context, new WebApplicationException(405));
            }
        });
    }

    private void post(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!acceptedType(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            refuseUnread(context, new NotSupportedException());
            return;
        }
        long declared = RouteAnswers.declaredLength(request);
        int limit = config.maxBodyBytes();
        Body body = new Body(declared >= 0 && declared <= limit ? (int) declared : Math.min(CHUNKED_START, limit));
        request.handler(chunk -> {
            if (!body.refused && !body.append(chunk, limit)) {
                body.refused = true;
                // Reads and drops the rest (its handlers replace these), then answers.
                String json = answers.error(context, ValidationException.tooLarge("",
                        "the body is longer than the limit of " + limit + " bytes"));
                BodyLimitFilter.drainThenAnswer(context.vertx(), request, context.response(), json,
                        config.refusedBodyDrainTime());
            }
        });
        request.endHandler(ended -> {
            if (!body.refused) {
                batch(context, body.bytes());
            }
        });
        // A client gone before its body ended gets no answer; nothing was parsed or produced.
        request.exceptionHandler(ignored -> body.refused = true);
        request.resume();
    }

    private void batch(RoutingContext context, byte[] body) {
        HttpServerRequest request = context.request();
        long receivedAt = System.currentTimeMillis();
        try {
            String key = context.queryParams().get("key");
            limiter.acquire(clientAddress(request), key);
            Batch batch = parser.parse(body);
            registry.check(batch.study(), batch.participant(), key, request.getHeader(HttpHeaders.ORIGIN));
            ingestor.ingest(batch, receivedAt).onComplete(ended -> {
                if (ended.failed()) {
                    fail(context, ended.cause());
                } else if (open(context)) {
                    context.response().end(answers.json(context, 202, ended.result().json()));
                }
            });
        } catch (RuntimeException e) {
            fail(context, e);
        }
    }

    private void fail(RoutingContext context, Throwable failure) {
        if (open(context)) {
            context.response().end(answers.error(context, failure));
        }
    }

    /** Answers without reading the body, which is then read and dropped so the connection stays usable. */
    private void refuseUnread(RoutingContext context, RuntimeException failure) {
        fail(context, failure);
        context.request().resume();
    }

    private static boolean open(RoutingContext context) {
        return !context.response().ended() && !context.response().closed();
    }

    /** JSON in either spelling; a request without a type is read as JSON too. */
    static boolean acceptedType(String contentType) {
        if (contentType == null) {
            return true;
        }
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).trim();
        return type.equalsIgnoreCase("application/json") || type.equalsIgnoreCase("text/plain");
    }

    /** The peer's address; behind a proxy, enable quarkus.http.proxy.proxy-address-forwarding. */
    static String clientAddress(HttpServerRequest request) {
        SocketAddress address = request.remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    /** The body as it arrives, in one array (of the declared length when there is one). */
    private static final class Body {
        private byte[] bytes;
        private int length;
        private boolean refused;

        Body(int capacity) {
            bytes = new byte[capacity];
        }

        /** False when the chunk would take the body past {@code limit}. */
        boolean append(Buffer chunk, int limit) {
            int n = chunk.length();
            if (length + n > limit) {
                return false;
            }
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(length + n, bytes.length * 2)));
            }
            chunk.getBytes(0, n, bytes, length);
            length += n;
            return true;
        }

        byte[] bytes() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }
}
