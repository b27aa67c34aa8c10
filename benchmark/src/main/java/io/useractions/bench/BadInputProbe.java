package io.useractions.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.useractions.infra.corpus.BadInputCorpus;
import io.useractions.infra.corpus.SampleBatches;

/**
 * Sends the bad-input corpus to the running ingest service, one request at a time with a valid batch
 * after every fifth case, and times every answer. The first round warms the error paths up and is not
 * timed; every answer of every round is checked against the corpus.
 */
final class BadInputProbe {
    record Result(int cases, int rounds, long timed, int serverErrors, int wrongCount, List<String> wrong, int validAccepted,
            int validSent, Histogram micros, String slowestCase, double slowestMedianMillis) {

        double percentileMillis(double percentile) {
            return micros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;

    BadInputProbe(URI endpoint) {
        this.endpoint = endpoint;
    }

    Result run(int rounds) throws Exception {
        BadInputCorpus corpus = BadInputCorpus.create();
        send(corpus.prime());
        Histogram micros = new Histogram(60_000_000L, 3);
        Map<String, Histogram> perCase = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        int serverErrors = 0;
        int wrongCount = 0;
        int validSent = 0;
        int validAccepted = 0;
        int sent = 0;
        for (int round = 0; round <= rounds; round++) {
            for (BadInputCorpus.Case c : corpus.cases()) {
                long start = System.nanoTime();
                HttpResponse<String> response = send(c);
                long took = (System.nanoTime() - start) / 1000;
                if (round > 0) {
                    micros.recordValue(Math.min(took, micros.getHighestTrackableValue()));
                    perCase.computeIfAbsent(c.name(), name -> new Histogram(60_000_000L, 3))
                            .recordValue(Math.min(took, micros.getHighestTrackableValue()));
                }
                if (response.statusCode() >= 500) {
                    serverErrors++;
                }
                String problem = c.problem(response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(null), response.body());
                if (problem != null && wrongCount++ < 5) {
                    wrong.add(problem);
                }
                if (++sent % 5 == 0) {
                    validSent++;
                    if (send(SampleBatches.batch("bench-bad-input", SampleBatches.ids(2))).statusCode() == 202) {
                        validAccepted++;
                    }
                }
            }
        }
        Map.Entry<String, Histogram> slowest = perCase.entrySet().stream()
                .max(Comparator.comparingLong(e -> e.getValue().getValueAtPercentile(50))).orElseThrow();
        return new Result(corpus.cases().size(), rounds, micros.getTotalCount(), serverErrors, wrongCount, wrong, validAccepted,
                validSent, micros, slowest.getKey(), slowest.getValue().getValueAtPercentile(50) / 1000.0);
    }

    private HttpResponse<String> send(String validBatch) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint + "?key=" + SampleBatches.KEY))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(validBatch)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(BadInputCorpus.Case c) throws Exception {
        return http.send(c.request(endpoint), HttpResponse.BodyHandlers.ofString());
    }

    static String describe(Result r) {
        return String.format(Locale.ROOT, "%d cases x %d timed rounds = %,d answers, %d 5xx, %d wrong%s; %d/%d valid"
                + " batches between them accepted; slowest case: %s (median %.1f ms)", r.cases(), r.rounds(), r.timed(),
                r.serverErrors(), r.wrongCount(), r.wrong().isEmpty() ? "" : " (" + String.join("; ", r.wrong()) + ")",
                r.validAccepted(), r.validSent(), r.slowestCase(), r.slowestMedianMillis());
    }
}
