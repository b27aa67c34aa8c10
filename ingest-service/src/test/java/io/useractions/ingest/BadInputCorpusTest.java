package io.useractions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.corpus.BadInputCorpus;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.model.Action;

/**
 * The bad-input corpus: every case must get its answer (a 4xx with a JSON body naming the problem,
 * never a 5xx; a 202 counting duplicates for a replayed batch), while valid batches sent between the
 * cases are all stored. Its latency is measured by the benchmark against the packaged service.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class BadInputCorpusTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/v1/batches")
    URI endpoint;

    private HttpResponse<String> send(BadInputCorpus.Case c) throws Exception {
        return HTTP.send(c.request(endpoint), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyBadInputGetsItsAnswerAndValidTrafficBetweenIsStored() throws Exception {
        BadInputCorpus corpus = BadInputCorpus.create();
        List<BadInputCorpus.Case> cases = corpus.cases();
        assertTrue(cases.size() >= 40, "the corpus has " + cases.size() + " cases");
        assertEquals(202, send(corpus.prime()).statusCode(), "the replayed batch's first send");
        String session = "corpus-valid-" + UUID.randomUUID();
        List<UUID> validIds = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (BadInputCorpus.Case c : cases) {
                // Paced under the per-address rate limit (100/s), which AccessTest covers on its own.
                Thread.sleep(12);
                HttpResponse<String> response = send(c);
                assertNull(c.problem(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                        response.body()), "round " + round);
                if ((round * cases.size() + cases.indexOf(c)) % 5 == 0) {
                    List<UUID> ids = SampleBatches.ids(2);
                    TestBatches.api().contentType("application/json").body(SampleBatches.batch(session, ids))
                            .post("/v1/batches").then().statusCode(202);
                    validIds.addAll(ids);
                }
            }
        }
        assertEquals(validIds, TestBatches.actionsIn(TestBatches.recordsOf(session, validIds.size())).stream()
                .map(Action::id).toList(),
                "valid batches interleaved with bad input are stored completely");
    }

    @Test
    void aCaseWithTheWrongAnswerIsCaught() {
        BadInputCorpus.Case malformed = BadInputCorpus.create().cases().get(0);
        String ok = "{\"error\":\"invalid_batch\",\"status\":400,\"message\":\"malformed JSON at line 1\"}";
        assertNull(malformed.problem(400, "application/json; charset=utf-8", ok));
        assertTrue(malformed.problem(500, "application/json", ok).contains("status 500"));
        assertTrue(malformed.problem(400, "text/html", ok).contains("content type"));
        assertTrue(malformed.problem(400, "application/json", ok.replace("invalid_batch", "oops")).contains("body"));
    }
}
