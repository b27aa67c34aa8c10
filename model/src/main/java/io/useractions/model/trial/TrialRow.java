package io.useractions.model.trial;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A trial as a table row: the columns, in order, and its values for them. The processor's trial table and
 * the research export's trials table are both written from here, so that they cannot drift apart.
 */
public final class TrialRow {
    public static final List<String> COLUMNS = Stream.of(List.of("mt_id"), SessionKey.COLUMNS, List.of("trial",
            "ordinal", "outcome", "incomplete", "start_seq", "end_seq", "start_client_time",
            "end_client_time", "start_server_time", "end_server_time", "misses", "samples", "interval_median_ms",
            "interval_p95_ms", "lost_actions", "clock_flagged", "time_base")).flatMap(List::stream).toList();

    /** Where the values go, one call per column; a null text, number or time is a missing value. */
    public interface Values<E extends Exception> {
        void text(String value) throws E;

        void integer(long value) throws E;

        void number(Double value) throws E;

        void bool(boolean value) throws E;

        void time(Instant value) throws E;
    }

    private TrialRow() {
    }

    /** The trial's values, one per {@link #COLUMNS} entry and in that order. */
    public static <E extends Exception> void write(Trial t, Values<E> out) throws E {
        out.text(t.mtId());
        t.session().write(out);
        out.integer(t.trial());
        out.integer(t.ordinal());
        out.text(t.outcome());
        out.bool(t.incomplete());
        out.integer(t.startSeq());
        out.integer(t.endSeq());
        out.time(t.startClientTime());
        out.time(t.endClientTime());
        out.time(t.startServerTime());
        out.time(t.endServerTime());
        out.integer(t.misses());
        out.integer(t.sampleCount());
        out.number(t.medianIntervalMs());
        out.number(t.p95IntervalMs());
        out.integer(t.lostActions());
        out.bool(t.clockFlagged());
        out.text(SampleClock.usesMonotonic(t.samples()) ? "t_mono" : "client_time");
    }
}
