package io.useractions.research.export;

/**
 * Told when a table begins, every few thousand rows (or actions) read for it, and once when it is done. A
 * database table counts its rows; a derived table (trials, measures, trajectories) the actions it reads
 * to find the trials, since its own rows are known only at the end.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (table, unit, count, total, done) -> { };

    /**
     * {@code unit} is "rows" or "actions"; {@code total} the count there will be at the end, or -1 when
     * unknown (always, unless {@link #wantsTotals}).
     */
    void progress(String table, String unit, long count, long total, boolean done);

    /** Whether to count what a table reads before reading it (one more scan), for a total to show. */
    default boolean wantsTotals() {
        return false;
    }
}
