package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code ./ual bench --quick} as CI runs it: every phase runs against real servers and the packaged
 * apps and prints its figures. No timing is asserted; the figures of a quick run mean nothing.
 */
class BenchmarkQuickIT {

    @Test
    void quickRunPrintsEveryFigure() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report report = Benchmark.parse(new PrintStream(printed, true, StandardCharsets.UTF_8), "--quick").run();
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.print(text);

        Set<String> measures = new TreeSet<>();
        for (String[] row : report.rows()) {
            measures.add(row[0].replaceAll(" @ .*", ""));
            assertTrue(!row[1].isBlank(), row[0] + " has a result");
        }
        for (String expected : List.of("baseline: Kafka producer, same records", "ingest open loop",
                "ingest maximum (HTTP → Kafka acked)", "projection", "baseline: PostgreSQL COPY, same rows",
                "end-to-end lag", "sustained end to end (lag p99 ≤ 1 s)", "peak RSS: ingest-service",
                "peak RSS: stream-processor", "bad input, one request at a time")) {
            assertTrue(measures.contains(expected), "missing " + expected + " in " + measures);
        }
        assertTrue(text.contains("| measure |") || text.contains("measure "), text);
        assertEquals(20_000, rowsProjected(report), "the projection phase wrote every new action");
        String badInput = notes(report, "bad input, one request at a time");
        assertTrue(badInput.contains(" 0 5xx, 0 wrong;"), badInput);
    }

    private static String notes(Report report, String measure) {
        return report.rows().stream().filter(row -> row[0].equals(measure)).findFirst().orElseThrow()[5];
    }

    private static long rowsProjected(Report report) {
        Matcher written = Pattern.compile("([\\d,]+) ui_action").matcher(notes(report, "projection"));
        return written.find() ? Long.parseLong(written.group(1).replace(",", "")) : -1;
    }
}
