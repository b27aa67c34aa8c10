package io.useractions.research.heatmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.useractions.research.export.ExportRequestException;
import io.useractions.research.heatmap.HeatmapRequest.Kind;
import io.useractions.research.heatmap.HeatmapRequest.Weight;
import io.useractions.research.heatmap.HeatmapRequest.XMode;

/** Query parameters of a heatmap: defaults, every parameter read, every bad value named. */
class HeatmapRequestTest {

    static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> query = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return query;
    }

    @Test
    void onlyTheStudyIsRequiredAndClicksAreCountedByDefault() {
        HeatmapRequest request = HeatmapRequest.parse(query("study", "demo"));
        assertEquals(new HeatmapRequest("demo", Kind.CLICK, null, null, null, XMode.RELATIVE, Weight.COUNT, 10, 2000,
                null), request);
        assertEquals(HeatmapRequest.clicks("demo"), request);
    }

    @Test
    void movementIsWeightedByDwellByDefault() {
        assertEquals(Weight.DWELL, HeatmapRequest.parse(query("study", "demo", "kind", "move")).weight());
    }

    @Test
    void everyParameterIsReadAndTheConsolesKeyIgnored() {
        HeatmapRequest request = HeatmapRequest.parse(query("study", "demo", "kind", "move", "url",
                "https://app/page?q=1", "condition", "B", "vw", "1024-1279", "x", "absolute", "weight",
                "participants", "cell", "25", "max_dwell_ms", "500", "width", "1100", "key", "secret"));
        assertEquals(new HeatmapRequest("demo", Kind.MOVE, "https://app/page?q=1", "B", new ViewportBucket(1024, 1279),
                XMode.ABSOLUTE, Weight.PARTICIPANTS, 25, 500, 1100), request);
    }

    @Test
    void theStudyMayComeFromThePath() {
        assertEquals("demo", HeatmapRequest.parse("demo", query("kind", "click")).study());
        assertEquals("study", assertThrows(HeatmapRequestException.class,
                () -> HeatmapRequest.parse("demo", query("study", "other"))).parameter());
    }

    @Test
    void blankOptionalValuesMeanAll() {
        HeatmapRequest request = HeatmapRequest.parse(query("study", "demo", "url", "", "condition", " ", "vw", ""));
        assertNull(request.url());
        assertNull(request.condition());
        assertNull(request.viewport());
    }

    @Test
    void aBadValueIsAnErrorNamingItsParameter() {
        Map<String, String[]> bad = Map.ofEntries(
                Map.entry("study", new String[] {"study", ""}),
                Map.entry("kind", new String[] {"kind", "drag"}),
                Map.entry("vw", new String[] {"vw", "1000-1200"}),
                Map.entry("x", new String[] {"x", "page"}),
                Map.entry("weight", new String[] {"weight", "dwell"}),
                Map.entry("cell", new String[] {"cell", "1"}),
                Map.entry("max_dwell_ms", new String[] {"max_dwell_ms", "0"}),
                Map.entry("width", new String[] {"width", "12.5"}),
                Map.entry("colour", new String[] {"colour", "red"}));
        for (Map.Entry<String, String[]> e : bad.entrySet()) {
            Map<String, List<String>> q = query("study", "demo");
            q.put(e.getValue()[0], List.of(e.getValue()[1]));
            HeatmapRequestException error = assertThrows(HeatmapRequestException.class, () -> HeatmapRequest.parse(q),
                    e.getKey());
            assertEquals(e.getKey(), error.parameter());
            assertTrue(error.getMessage().startsWith(e.getKey() + ": "), error.getMessage());
        }
    }

    @Test
    void rangesAreCheckedAtBothEnds() {
        for (String[] p : new String[][] {{"cell", "101"}, {"width", "199"}, {"width", "4001"},
                {"max_dwell_ms", "3600001"}}) {
            assertEquals(p[0] + ": " + p[1] + " is outside " + switch (p[0]) {
                case "cell" -> "2..100";
                case "width" -> "200..4000";
                default -> "1..3600000";
            }, assertThrows(HeatmapRequestException.class,
                    () -> HeatmapRequest.parse(query("study", "demo", p[0], p[1]))).getMessage());
        }
        assertEquals(2, HeatmapRequest.parse(query("study", "demo", "cell", "2")).cell());
        assertEquals(4000, HeatmapRequest.parse(query("study", "demo", "width", "4000")).width());
    }

    @Test
    void aParameterGivenTwiceIsAnError() {
        HeatmapRequestException error = assertThrows(HeatmapRequestException.class,
                () -> HeatmapRequest.parse(query("study", "demo", "cell", "10", "cell", "20")));
        assertEquals("cell: given 2 times", error.getMessage());
    }

    @Test
    void errorsAreExportRequestErrorsSoTheConsoleAnswers400() {
        assertTrue(ExportRequestException.class.isAssignableFrom(HeatmapRequestException.class));
        assertTrue(ExportRequestException.class.isAssignableFrom(OverlayException.class));
    }

    @Test
    void viewportBucketsAreTheFixedBreakpointsByLabel() {
        assertEquals(List.of("0-479", "480-767", "768-1023", "1024-1279", "1280-1439", "1440-1919", "1920-"),
                ViewportBucket.ALL.stream().map(ViewportBucket::label).toList());
        for (ViewportBucket bucket : ViewportBucket.ALL) {
            assertEquals(bucket, ViewportBucket.parse(bucket.label()));
            assertEquals(bucket, ViewportBucket.of(bucket.min()));
            if (bucket.max() != null) {
                assertEquals(bucket, ViewportBucket.of(bucket.max()));
            }
        }
        assertEquals("1920-", ViewportBucket.of(100_000).label());
        for (String notALabel : new String[] {"1024 - 1279", "1024-1280", "1920", "1920-9999", "-479"}) {
            assertThrows(IllegalArgumentException.class, () -> ViewportBucket.parse(notALabel), notALabel);
        }
    }
}
