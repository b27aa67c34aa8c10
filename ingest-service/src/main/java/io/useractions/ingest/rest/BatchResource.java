package io.useractions.ingest.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.useractions.ingest.access.RateLimiter;
import io.useractions.ingest.access.StudyRegistry;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.Batch;
import io.useractions.model.LegacyBatchParser;
import io.vertx.core.http.HttpServerRequest;

/**
 * The seed's {@code POST /analytics} ({@code POST /v1/batches} is {@link BatchRoute}). {@code text/plain}
 * is accepted with the same JSON so that browsers can send it with sendBeacon without a CORS preflight.
 * Parsing runs on the event loop: it is CPU-bound and short, and every later step is non-blocking.
 * Rate limits come before parsing (cheap), the study's key and origin right after it.
 */
@Path("/")
@Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
@Produces(MediaType.APPLICATION_JSON)
public class BatchResource {
    private final BatchIngestor ingestor;
    private final StudyRegistry registry;
    private final RateLimiter limiter;
    private final LegacyBatchParser legacyParser;

    public BatchResource(BatchIngestor ingestor, StudyRegistry registry, RateLimiter limiter, IngestConfig config) {
        this.ingestor = ingestor;
        this.registry = registry;
        this.limiter = limiter;
        this.legacyParser = new LegacyBatchParser(config.limits(), config.legacyStudy());
    }

    @POST
    @Path("analytics")
    public Uni<RestResponse<IngestResult>> legacy(@RestQuery String study, @RestQuery String key,
            @RestHeader("Origin") String origin, HttpServerRequest request, byte[] body) {
        long receivedAt = System.currentTimeMillis();
        limiter.acquire(BatchRoute.clientAddress(request), key);
        Batch batch = legacyParser.parse(body, study, receivedAt);
        registry.check(batch.study(), batch.participant(), key, origin);
        var ingested = ingestor.ingest(batch, receivedAt);
        return Uni.createFrom().completionStage(ingested.toCompletionStage()).map(RestResponse::accepted);
    }
}
