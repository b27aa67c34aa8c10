package io.useractions.ingest.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.BatchParser;
import io.useractions.model.LegacyBatchParser;
import io.useractions.model.ValidationException;

/**
 * The HTTP contract: {@code POST /v1/batches} and the seed's {@code POST /analytics}. {@code text/plain}
 * is accepted with the same JSON so that browsers can send it with sendBeacon without a CORS preflight.
 * Parsing runs on the event loop: it is CPU-bound and short, and every later step is non-blocking.
 */
@Path("/")
@Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
@Produces(MediaType.APPLICATION_JSON)
public class BatchResource {
    private final BatchIngestor ingestor;
    private final IngestConfig config;
    private final BatchParser parser;
    private final LegacyBatchParser legacyParser;

    public BatchResource(BatchIngestor ingestor, IngestConfig config) {
        this.ingestor = ingestor;
        this.config = config;
        this.parser = new BatchParser(config.limits());
        this.legacyParser = new LegacyBatchParser(config.limits(), config.legacyStudy());
    }

    @POST
    @Path("v1/batches")
    public Uni<RestResponse<IngestResult>> batches(byte[] body) {
        long receivedAt = System.currentTimeMillis();
        checkSize(body);
        return ingestor.ingest(parser.parse(body), receivedAt).map(RestResponse::accepted);
    }

    @POST
    @Path("analytics")
    public Uni<RestResponse<IngestResult>> legacy(@RestQuery String study, byte[] body) {
        long receivedAt = System.currentTimeMillis();
        checkSize(body);
        return ingestor.ingest(legacyParser.parse(body, study, receivedAt), receivedAt).map(RestResponse::accepted);
    }

    private void checkSize(byte[] body) {
        if (body != null && body.length > config.maxBodyBytes()) {
            throw ValidationException.tooLarge("", "the body has " + body.length + " bytes, over the limit of "
                    + config.maxBodyBytes());
        }
    }
}
