package io.useractions.processor.sessions;

import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import io.useractions.model.trial.SessionKey;
import io.useractions.model.trial.SessionSummary;
import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialRow;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.projection.Utf8Rows;

/**
 * The tables whose rows span records, kept from the processor's per-session state ({@link Sessions}):
 * one row per trial, written when it ends, and one per session, rewritten as it goes on. Their columns
 * are those of the research export's trials table ({@link TrialRow}) and of {@link SessionSummary}; each row ends with the
 * provenance of the action that last changed it.
 */
public final class SessionTables {
    public static final ProjectedTable TRIAL = ProjectedTable.spanning("trial",
            "study, participant, session_id, start_seq",
            Stream.concat(TrialRow.COLUMNS.stream(), ProjectedTable.PROVENANCE.stream()).toList());

    /** session_summary's columns after the session's key and before {@code in_trial}, each with its value. */
    private static final List<SummaryColumn> SUMMARY_COLUMNS = List.of(
            count("actions", SessionSummary::actions),
            count("first_seq", SessionSummary::firstSeq),
            count("last_seq", SessionSummary::lastSeq),
            count("lost_actions", SessionSummary::lostActions),
            count("late_actions", SessionSummary::lateActions),
            time("first_client_time", SessionSummary::firstClientTime),
            time("last_client_time", SessionSummary::lastClientTime),
            time("first_server_time", SessionSummary::firstServerTime),
            time("last_server_time", SessionSummary::lastServerTime),
            count("pointer_samples", SessionSummary::pointerSamples),
            count("flagged_clocks", SessionSummary::flaggedClocks),
            count("trials", SessionSummary::trials),
            count("trials_completed", SessionSummary::trialsCompleted));

    public static final ProjectedTable SESSION_SUMMARY = ProjectedTable.spanning("session_summary",
            "study, participant, session_id", Stream.of(SessionKey.COLUMNS,
                    SUMMARY_COLUMNS.stream().map(SummaryColumn::name).toList(), List.of("in_trial"),
                    ProjectedTable.PROVENANCE).flatMap(List::stream).toList());

    /** Both, in the order the sink writes them. */
    public static final List<ProjectedTable> ALL = List.of(TRIAL, SESSION_SUMMARY);

    private SessionTables() {
    }

    /** A trial's row in COPY text, ending with {@code at}'s provenance. */
    static byte[] trialRow(Trial t, Provenance at) {
        Utf8Rows out = new Utf8Rows(512);
        TrialRow.write(t, out);
        provenance(out, at);
        return out.toBytes();
    }

    /** A session's row in COPY text. */
    static byte[] summaryRow(SessionSummary s, boolean inTrial, Provenance at) {
        Utf8Rows out = new Utf8Rows(256);
        s.session().write(out);
        for (SummaryColumn column : SUMMARY_COLUMNS) {
            column.value().accept(out, s);
        }
        out.bool(inTrial);
        provenance(out, at);
        return out.toBytes();
    }

    private record SummaryColumn(String name, BiConsumer<Utf8Rows, SessionSummary> value) {
    }

    private static SummaryColumn count(String name, ToLongFunction<SessionSummary> value) {
        return new SummaryColumn(name, (out, s) -> out.number(value.applyAsLong(s)));
    }

    private static SummaryColumn time(String name, Function<SessionSummary, Instant> value) {
        return new SummaryColumn(name, (out, s) -> out.time(value.apply(s)));
    }

    private static void provenance(Utf8Rows out, Provenance at) {
        out.number(at.partition());
        out.number(at.offset());
        out.number(at.index());
        out.endRow();
    }
}
