package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A step that did not keep up says why: what fell short, the first refusal's status and body, or the first failure.
 * And no batch fails for the load generator's own reuse of a connection the ingest is closing.
 */
class OpenLoopTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRefusedBatchIsNamedByItsStatusAndBody() throws Exception {
        HttpServer server = serve(request -> request.response().setStatusCode(503)
                .putHeader("content-type", "application/json").end("{\"error\":\"kafka unavailable\"}"));
        OpenLoop.Result result = step(server);
        assertTrue(result.refused() > 0, "refused: " + result.refused());
        assertEquals("HTTP 503 {\"error\":\"kafka unavailable\"}", result.firstProblem());
        assertFalse(result.keptUp());
        assertTrue(result.shortfall().startsWith(result.refused() + " refused"), result.shortfall());
    }

    @Test
    void aFailedRequestIsNamedByItsCause() throws Exception {
        HttpServer server = serve(request -> request.connection().close());
        OpenLoop.Result result = step(server);
        assertTrue(result.failed() > 0, "failed: " + result.failed());
        assertNotNull(result.firstProblem());
        assertFalse(result.firstProblem().contains("|"), result.firstProblem());
        assertFalse(result.keptUp());
        assertTrue(result.shortfall().contains(result.failed() + " failed"), result.shortfall());
    }

    @Test
    void aStepWithoutProblemsNamesNone() throws Exception {
        HttpServer server = serve(request -> request.body().onSuccess(body -> request.response().setStatusCode(202)
                .putHeader("content-type", "application/json").end("{\"accepted\":50,\"duplicates_dropped\":0}")));
        OpenLoop.Result result = step(server);
        assertEquals(0, result.refused() + result.failed());
        assertNull(result.firstProblem());
        assertEquals("", result.shortfall());
    }

    @Test
    void anIdleConnectionIsDroppedByTheLoadGeneratorBeforeTheIngestClosesIt() throws Exception {
        Properties ingest = new Properties();
        try (Reader in = Files.newBufferedReader(
                Path.of("..", "ingest-service", "src", "main", "resources", "application.properties"))) {
            ingest.load(in);
        }
        String idleTimeout = ingest.getProperty("quarkus.http.idle-timeout");
        assertNotNull(idleTimeout, "the ingest sets quarkus.http.idle-timeout");
        Duration serverCloses = Duration.parse("PT" + idleTimeout.toUpperCase());
        assertTrue(Duration.ofSeconds(OpenLoop.KEEP_ALIVE_SECONDS).compareTo(serverCloses.minusSeconds(5)) <= 0,
                "keep-alive " + OpenLoop.KEEP_ALIVE_SECONDS + " s against the ingest's idle timeout " + idleTimeout);
    }

    private HttpServer serve(Handler<HttpServerRequest> handler) throws Exception {
        return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static OpenLoop.Result step(HttpServer server) throws InterruptedException {
        URI endpoint = URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/batches");
        try (OpenLoop load = new OpenLoop(endpoint, Workload.create(4, 50, 4, 7), 2)) {
            return load.run(5_000, Duration.ofMillis(200), null);
        }
    }
}
