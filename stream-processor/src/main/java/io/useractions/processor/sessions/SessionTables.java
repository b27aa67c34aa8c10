package io.useractions.processor.sessions;

import java.util.List;
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

    public static final ProjectedTable SESSION_SUMMARY = ProjectedTable.spanning("session_summary",
            "study, participant, session_id", Stream.of(SessionKey.COLUMNS, List.of("actions", "first_seq",
                    "last_seq", "lost_actions", "late_actions", "first_client_time", "last_client_time",
                    "first_server_time", "last_server_time", "pointer_samples", "flagged_clocks", "trials",
                    "trials_completed", "in_trial"), ProjectedTable.PROVENANCE).flatMap(List::stream).toList());

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
        out.number(s.actions());
        out.number(s.firstSeq());
        out.number(s.lastSeq());
        out.number(s.lostActions());
        out.number(s.lateActions());
        out.time(s.firstClientTime());
        out.time(s.lastClientTime());
        out.time(s.firstServerTime());
        out.time(s.lastServerTime());
        out.number(s.pointerSamples());
        out.number(s.flaggedClocks());
        out.number(s.trials());
        out.number(s.trialsCompleted());
        out.bool(inTrial);
        provenance(out, at);
        return out.toBytes();
    }

    private static void provenance(Utf8Rows out, Provenance at) {
        out.number(at.partition());
        out.number(at.offset());
        out.number(at.index());
        out.endRow();
    }
}
