package io.useractions.research.export;

/** Told about once a second while a table is written, and once when it is done. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (table, rows, rowsPerSecond, done) -> { };

    void progress(String table, long rows, double rowsPerSecond, boolean done);
}
