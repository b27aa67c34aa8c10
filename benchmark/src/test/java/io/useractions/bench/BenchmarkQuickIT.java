package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./ual bench --quick --with-table-cost} as CI runs it: every phase, then every set of derived tables
 * ({@code --table-cost}'s phases), against one start of real servers and the packaged apps. No timing is
 * asserted; the figures of a quick run mean nothing.
 */
class BenchmarkQuickIT {
    private static final long RECORDS = 10_000;

    private static Report report;
    private static String text;

    @BeforeAll
    static void runQuick() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report = Benchmark.parse(new PrintStream(printed, true, StandardCharsets.UTF_8), "--quick",
                "--with-table-cost").run();
        text = printed.toString(StandardCharsets.UTF_8);
        System.out.print(text);
    }

    @Test
    void quickRunPrintsEveryFigure() {
        Set<String> measures = new TreeSet<>();
        for (String[] row : report.rows()) {
            measures.add(row[0].replaceAll(" @ .*", ""));
            assertTrue(!row[1].isBlank(), row[0] + " has a result");
        }
        for (String expected : List.of("baseline: Kafka producer, same records", "ingest open loop",
                "ingest maximum (HTTP → Kafka acked)", "projection", "baseline: PostgreSQL COPY, same rows",
                "baseline: PostgreSQL COPY into empty tables", "replay", "replay again, tables already right", "single batch, idle pipeline, 202 → row",
                "end-to-end lag", "sustained end to end (lag p99 ≤ 1 s)", "peak RSS: ingest-service",
                "peak RSS: stream-processor", "bad input, one request at a time")) {
            assertTrue(measures.contains(expected), "missing " + expected + " in " + measures);
        }
        assertTrue(text.contains("| measure |") || text.contains("measure "), text);
        // The projection fills twice --records: the first half warms the processor up (ProjectionPhase).
        assertEquals(2 * RECORDS, rowsProjected(), "the projection phase wrote every new action");
        String badInput = notes("bad input, one request at a time");
        assertTrue(badInput.contains(" 0 5xx, 0 wrong;"), badInput);
    }

    /** Each end-to-end step names its worst seconds and the CPU's speed, and leaves its timeline as CSV. */
    @Test
    void everyEndToEndStepLeavesItsTimeline() throws Exception {
        Matcher logs = Pattern.compile("logs under (\\S+)").matcher(text);
        assertTrue(logs.find(), "the run says where its files are");
        int steps = 0;
        for (String[] row : report.rows()) {
            if (!row[0].startsWith("end-to-end lag @")) {
                continue;
            }
            steps++;
            assertTrue(row[5].contains("worst seconds of lag (acknowledged at): "), row[5]);
            assertTrue(row[5].matches(".*the same work's CPU time: median [\\d.]+ ms, .*"), row[5]);
            Matcher csv = Pattern.compile("per second: (e2e-\\d+\\.csv)").matcher(row[5]);
            assertTrue(csv.find(), row[5]);
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(logs.group(1), csv.group(1)));
            assertTrue(lines.get(0).startsWith("second,batches,max_lag_ms,cores_"), lines.get(0));
            assertTrue(lines.size() > 1 && lines.stream().skip(1).anyMatch(l -> !l.startsWith("0,0,")),
                    "seconds with acknowledged batches: " + lines);
        }
        assertTrue(steps > 0, "the quick run has an end-to-end step");
    }

    /**
     * Each phase that measures PostgreSQL starts on a settled server (Settle), and the COPY baseline copies every row
     * the projection wrote, of both core tables, in its two halves.
     */
    @Test
    void postgresPhasesStartSettledAndTheCopyBaselineCopiesTheProjectedRows() {
        for (String[] row : report.rows()) {
            if (List.of("projection", "baseline: PostgreSQL COPY, same rows", "replay", "replay again, tables already right",
                    "single batch, idle pipeline, 202 → row").contains(row[0]) || row[0].startsWith("end-to-end lag @")) {
                assertTrue(row[5].matches(".*PostgreSQL settled first: VACUUM \\(ANALYZE\\) [\\d.]+ s, "
                        + "CHECKPOINT [\\d.]+ s.*"), row[0] + ": " + row[5]);
            }
        }
        Matcher projected = Pattern.compile("([\\d,]+) ui_action \\+ ([\\d,]+) mouse_position rows")
                .matcher(notes("projection"));
        assertTrue(projected.find(), notes("projection"));
        long second = leadingRows(notes("baseline: PostgreSQL COPY, same rows"), "the projection's second half, ");
        long first = leadingRows(notes("baseline: PostgreSQL COPY into empty tables"), "its first half, ");
        assertEquals(number(projected.group(1)) + number(projected.group(2)), first + second,
                "the COPY baseline's two halves hold every row the projection wrote");
    }

    private static long leadingRows(String notes, String prefix) {
        assertTrue(notes.startsWith(prefix), notes);
        return number(notes.substring(prefix.length()).split(" ")[0]);
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    /**
     * {@code --table-cost}'s part: every set of tables is measured against the packaged processor, each derived
     * table gets rows (a table that writes nothing cannot look cheap), and the end-to-end rule gives PASS or FAIL.
     */
    @Test
    void everyShippedTableIsMeasuredWithItsRows() {
        String header = report.markdown().lines().findFirst().orElseThrow();
        assertTrue(header.contains("derived tables on (as shipped): click, key_chord, trial, session_summary"), header);
        List<String> measures = report.rows().stream().map(row -> row[0]).toList();
        for (String set : List.of("core only", "+ click", "+ key_chord", "+ trial, session_summary",
                "all derived tables")) {
            assertTrue(measures.contains("table cost: " + set), "missing " + set + " in " + measures);
        }
        for (String[] row : report.rows()) {
            assertFalse(row[5].contains("NO ROWS"), row[0] + ": " + row[5]);
        }
        String all = notes("table cost: all derived tables");
        for (String table : List.of("click", "key_chord", "trial", "session_summary")) {
            Matcher rows = Pattern.compile(table + " ([\\d,]+)").matcher(all);
            assertTrue(rows.find() && Long.parseLong(rows.group(1).replace(",", "")) > 0, table + " rows in " + all);
        }
        assertTrue(notes("table cost: + click").matches(".*µs/action: processor [\\d.]+, PostgreSQL [\\d.]+.*"
                + "vs core only: processor [-+][\\d.]+ µs, PostgreSQL [-+][\\d.]+ µs.*"), notes("table cost: + click"));
        String[] rule = report.rows().stream().filter(row -> row[0].equals("end to end, derived tables / core only"))
                .findFirst().orElseThrow();
        // On a machine busy with other work a quick step may hold no rate at all; the row then says so.
        assertTrue(rule[1].matches("\\d+%: (PASS|FAIL)") || rule[1].equals("not measured") && rule[5].startsWith(
                "no rate held for both"), rule[1] + " " + rule[5]);
        assertEquals(1, measures.stream().filter(m -> m.startsWith("end to end, core only @")).count(), measures.toString());
        assertEquals(1, measures.stream().filter(m -> m.startsWith("end to end, all derived tables @")).count(),
                measures.toString());
    }

    private static String notes(String measure) {
        return report.rows().stream().filter(row -> row[0].equals(measure)).findFirst().orElseThrow()[5];
    }

    private static long rowsProjected() {
        Matcher written = Pattern.compile("([\\d,]+) ui_action").matcher(notes("projection"));
        return written.find() ? Long.parseLong(written.group(1).replace(",", "")) : -1;
    }
}
