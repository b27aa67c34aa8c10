package io.useractions.research.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.useractions.model.trial.TrialMarkers;
import io.useractions.research.trial.Frame;

/** The one reading of export options, shared by the command line and the HTTP API. */
class ExportOptionsTest {

    private static ExportRequest request(Map<String, String> options) {
        return ExportOptions.request(options::get);
    }

    @Test
    void onlyTheStudyIsRequiredAndEverythingElseHasMousetrapsDefaults() {
        ExportRequest request = request(Map.of("study", "demo"));
        assertEquals(ExportFilter.study("demo"), request.filter());
        assertEquals(Set.of(TableName.values()), request.tables());
        assertEquals(Format.CSV, request.format());
        assertEquals(TrialMarkers.DEFAULT, request.markers());
        assertEquals(Frame.CLIENT, request.frame());
        assertEquals(Analysis.MOUSETRAP, request.analysis());
    }

    @Test
    void everyOptionIsRead() {
        ExportRequest request = request(Map.ofEntries(Map.entry("study", "demo"), Map.entry("condition", "A"),
                Map.entry("participant", "p-1"), Map.entry("from", "2026-12-02T05:00:00Z"),
                Map.entry("to", "2026-12-02T07:00:00+01:00"), Map.entry("complete-only", "true"),
                Map.entry("tables", "trials,measures"), Map.entry("format", "parquet"), Map.entry("start", "go"),
                Map.entry("end", "stop"), Map.entry("miss", "oops"), Map.entry("frame", "page"),
                Map.entry("remap", "false"), Map.entry("flip-threshold", "2.5"),
                Map.entry("initiation-threshold", "10"), Map.entry("steps", "51")));
        assertEquals(new ExportFilter("demo", "A", "p-1", Instant.parse("2026-12-02T05:00:00Z"),
                Instant.parse("2026-12-02T06:00:00Z"), true), request.filter());
        assertEquals(Set.of(TableName.TRIALS, TableName.MEASURES), request.tables());
        assertEquals(Format.PARQUET, request.format());
        assertEquals(new TrialMarkers("go", "stop", "oops"), request.markers());
        assertEquals(Frame.PAGE, request.frame());
        assertEquals(new Analysis(false, 2.5, 10, 51), request.analysis());
    }

    @Test
    void aBadValueIsAnErrorNamingItsOption() {
        Map<String, String> bad = Map.of("from", "yesterday", "complete-only", "maybe", "tables", "sessions",
                "format", "xlsx", "frame", "window", "remap", "sometimes", "flip-threshold", "-1",
                "initiation-threshold", "far", "steps", "1.5");
        Map<String, String> expected = Map.of("from", "from: 'yesterday' is not an ISO-8601 time",
                "complete-only", "complete-only: 'maybe'", "tables", "unknown table 'sessions'",
                "format", "unknown format 'xlsx'", "frame", "window", "remap", "remap: 'sometimes'",
                "flip-threshold", "flip-threshold must be a number >= 0", "initiation-threshold",
                "initiation-threshold: 'far' is not a number", "steps", "steps: '1.5' is not a whole number");
        bad.forEach((option, value) -> {
            ExportRequestException e = assertThrows(ExportRequestException.class,
                    () -> request(Map.of("study", "demo", option, value)), option);
            assertTrue(e.getMessage().contains(expected.get(option)), option + ": " + e.getMessage());
        });
        assertEquals("study is required", assertThrows(ExportRequestException.class,
                () -> request(Map.of("condition", "A"))).getMessage());
        assertTrue(assertThrows(ExportRequestException.class, () -> request(Map.of("study", "demo", "steps", "1")))
                .getMessage().startsWith("steps must be 2 to"));
    }
}
