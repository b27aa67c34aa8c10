package io.useractions.research.export;

/** Counts a table's rows and tells the listener at most once a second. */
final class Progress {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final String table;
    private final ProgressListener listener;
    private final long started = System.nanoTime();
    private long lastReport = started;
    private long rows;

    Progress(String table, ProgressListener listener) {
        this.table = table;
        this.listener = listener;
    }

    void row() {
        rows(1);
    }

    void rows(long n) {
        rows += n;
        if ((rows & 0xFFF) < n || n > 0xFFF) {
            long now = System.nanoTime();
            if (now - lastReport >= INTERVAL_NANOS) {
                lastReport = now;
                listener.progress(table, rows, rate(now), false);
            }
        }
    }

    long done() {
        listener.progress(table, rows, rate(System.nanoTime()), true);
        return rows;
    }

    long count() {
        return rows;
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private double rate(long now) {
        double s = (now - started) / 1e9;
        return s <= 0 ? 0 : rows / s;
    }
}
