package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * {@code ./ual bench --summary-cost}'s phase on a short run against a real PostgreSQL: its rows exist, hold
 * figures that can be true, and the sink's summary equals the V15 triggers' (the phase throws otherwise).
 */
class SummaryCostPhaseTest {
    @Test
    void reportsEachWaysCostAndTheSinksSummaryEqualsTheTriggers() throws Exception {
        Report report = new Report();
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "summary-cost-");
        new SummaryCostPhase(new PrintStream(new ByteArrayOutputStream()), report, 3, 5).run(root,
                Path.of("..", "stream-processor", "src", "main", "resources", "db", "migration"));
        Map<String, String[]> rows = report.rows().stream()
                .collect(Collectors.toMap(row -> row[0], row -> row, (a, b) -> a, java.util.LinkedHashMap::new));
        assertEquals(List.of("summary cost: PostgreSQL, the sink's sums (V16)",
                "summary cost: PostgreSQL, insert triggers (V15)", "summary cost: PostgreSQL, no summary",
                "summary cost: the sink's sums in Java"), List.copyOf(rows.keySet()));
        for (String[] row : rows.values()) {
            double micros = Double.parseDouble(row[1].replaceAll(" µs/action", ""));
            assertTrue(micros >= 0 && micros < 10_000, String.join(" | ", row));
        }
        String notes = rows.get("summary cost: PostgreSQL, the sink's sums (V16)")[5];
        assertTrue(notes.contains("its summary equals the triggers' to the row"), notes);
    }
}
