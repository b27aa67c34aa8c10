package io.useractions.research.export;

/** Counts what a table reads (its rows, or actions) and tells the listener at the start and every 4,096. */
final class Progress {

    static final String ROWS = "rows";
    static final String ACTIONS = "actions";

    private final String table;
    private final String unit;
    private final long total;
    private final ProgressListener listener;
    private final long started = System.nanoTime();
    private long count;

    Progress(String table, String unit, long total, ProgressListener listener) {
        this.table = table;
        this.unit = unit;
        this.total = total;
        this.listener = listener;
        listener.progress(table, unit, 0, total, false);
    }

    void row() {
        rows(1);
    }

    void rows(long n) {
        count += n;
        if ((count & 0xFFF) < n || n > 0xFFF) {
            listener.progress(table, unit, count, total, false);
        }
    }

    void done() {
        listener.progress(table, unit, count, total, true);
    }

    long count() {
        return count;
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
