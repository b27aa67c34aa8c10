package io.useractions.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

import io.useractions.model.corpus.BadInputCorpus;
import io.useractions.model.corpus.SampleBatches;

/**
 * Sends the bad-input corpus to the running ingest service, one request at a time with a valid batch
 * after every fifth case, and times every answer (over {@link PlainHttp}, as curl or a browser sends). The first round warms the error paths up and is not
 * timed; every answer of every round is checked against the corpus.
 */
final class BadInputProbe {
    record Result(int cases, int rounds, long timed, int serverErrors, int wrongCount, List<String> wrong, int validAccepted,
            int validSent, Histogram micros, String slowest) {

        double percentileMillis(double percentile) {
            return micros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final URI endpoint;
    private final PlainHttp http;

    BadInputProbe(URI endpoint) {
        this.endpoint = endpoint;
        this.http = new PlainHttp(endpoint);
    }

    Result run(int rounds) throws Exception {
        try {
            return timeRounds(rounds);
        } finally {
            http.close();
        }
    }

    private Result timeRounds(int rounds) throws Exception {
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
                PlainHttp.Response response = send(c);
                long took = (System.nanoTime() - start) / 1000;
                if (round > 0) {
                    micros.recordValue(Math.min(took, micros.getHighestTrackableValue()));
                    perCase.computeIfAbsent(c.name(), name -> new Histogram(60_000_000L, 3))
                            .recordValue(Math.min(took, micros.getHighestTrackableValue()));
                }
                if (response.status() >= 500) {
                    serverErrors++;
                }
                String problem = c.problem(response.status(), response.header("Content-Type"), response.body());
                if (problem != null && wrongCount++ < 5) {
                    wrong.add(problem);
                }
                if (++sent % 5 == 0) {
                    validSent++;
                    if (send(SampleBatches.batch("bench-bad-input", SampleBatches.ids(2))).status() == 202) {
                        validAccepted++;
                    }
                }
            }
        }
        String slowest = perCase.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Histogram> e) -> e.getValue().getMaxValue()).reversed())
                .limit(3).map(e -> String.format(Locale.ROOT, "%s (median %.1f, max %.1f ms)", e.getKey(),
                        e.getValue().getValueAtPercentile(50) / 1000.0, e.getValue().getMaxValue() / 1000.0))
                .collect(Collectors.joining(", "));
        return new Result(corpus.cases().size(), rounds, micros.getTotalCount(), serverErrors, wrongCount, wrong, validAccepted,
                validSent, micros, slowest);
    }

    private PlainHttp.Response send(String validBatch) throws Exception {
        return http.post(endpoint.getPath() + "?key=" + SampleBatches.KEY, Map.of("Content-Type", "application/json"),
                validBatch.getBytes(StandardCharsets.UTF_8));
    }

    /** The case's request as {@link BadInputCorpus.Case#request} builds it, over the plain socket. */
    private PlainHttp.Response send(BadInputCorpus.Case c) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", c.contentType());
        if (c.origin() != null) {
            headers.put("Origin", c.origin());
        }
        return http.post(endpoint.getPath() + (c.key() == null ? "" : "?key=" + c.key()), headers, c.body());
    }

    static String describe(Result r) {
        return String.format(Locale.ROOT, "%d cases x %d timed rounds = %,d answers, %d 5xx, %d wrong%s; %d/%d valid"
                + " batches between them accepted; slowest cases: %s", r.cases(), r.rounds(), r.timed(),
                r.serverErrors(), r.wrongCount(), r.wrong().isEmpty() ? "" : " (" + String.join("; ", r.wrong()) + ")",
                r.validAccepted(), r.validSent(), r.slowest());
    }
}
