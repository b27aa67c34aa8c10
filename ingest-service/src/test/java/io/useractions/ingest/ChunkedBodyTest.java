package io.useractions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.corpus.SampleBatches;

/**
 * A body sent without a declared length (chunked) is held to {@code ual.ingest.max-body-bytes}: on
 * {@code /v1/batches} by {@link io.useractions.ingest.rest.BatchRoute}, counting chunks as they arrive, and
 * on RESTEasy's {@code /analytics} by {@link io.useractions.ingest.rest.BodyLimitInterceptor}, which measures
 * a body RESTEasy buffered whole (up to {@code quarkus.rest.input-buffer-size}, 1M). A chunked batch under
 * the limit is taken like any other. The profile's limit is 64 KiB, so that bodies on both sides of the
 * buffer size are over it and under the server's hard cap (4M).
 */
@QuarkusTest
@TestProfile(LowLimitsAndSealing.class)
@WithTestResource(LocalInfraTestResource.class)
class ChunkedBodyTest {
    private static final String LIMIT = "limit of " + LowLimitsAndSealing.MAX_BODY_BYTES + " bytes";

    @TestHTTPResource("/v1/batches")
    URI batches;

    @BeforeAll
    static void createSealingTables() throws Exception {
        LowLimitsAndSealing.createSealingTables();
    }

    @Test
    void chunkedBodyOverTheLimitIs413WithAJsonBody() throws Exception {
        HttpResponse<String> answer = postChunked(new byte[100 * 1024]);
        assertTooLarge(answer);
    }

    @Test
    void chunkedLegacyBodyOverTheLimitThatRestEasyBuffersWholeIs413WithAJsonBody() throws Exception {
        HttpResponse<String> answer = postChunked(batches.resolve("/analytics"), new byte[100 * 1024]);
        assertTooLarge(answer);
    }

    @Test
    void chunkedBodyOverTheBufferSizeIs413WithAJsonBody() throws Exception {
        HttpResponse<String> answer = postChunked(new byte[2 * 1024 * 1024]);
        assertTooLarge(answer);
    }

    @Test
    void chunkedBatchUnderTheLimitIsAccepted() throws Exception {
        String session = UUID.randomUUID().toString();
        String body = SampleBatches.batch(session, SampleBatches.ids(40))
                .replace("\"study\":\"demo\"", "\"study\":\"" + LowLimitsAndSealing.CHUNKED_STUDY + "\"");
        assertTrue(body.length() > 8 * 1024 && body.length() < LowLimitsAndSealing.MAX_BODY_BYTES, "" + body.length());
        HttpResponse<String> answer = postChunked(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"accepted\":40"), answer.body());
    }

    private static void assertTooLarge(HttpResponse<String> answer) {
        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals(Optional.of("application/json"), answer.headers().firstValue("Content-Type"));
        assertTrue(answer.body().contains("\"error\":\"payload_too_large\""), answer.body());
        assertTrue(answer.body().contains(LIMIT), answer.body());
    }

    private HttpResponse<String> postChunked(byte[] body) throws Exception {
        return postChunked(batches, body);
    }

    /** Sent from a stream, so without Content-Length: chunked. */
    private static HttpResponse<String> postChunked(URI to, byte[] body) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(to + "?key=" + LowLimitsAndSealing.CHUNKED_KEY))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
