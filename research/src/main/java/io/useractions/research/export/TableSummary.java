package io.useractions.research.export;

/** One written table: rows, bytes and seconds. */
public record TableSummary(String table, long rows, long bytes, double seconds) {

    public double rowsPerSecond() {
        return seconds <= 0 ? 0 : rows / seconds;
    }
}
