package io.useractions.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.useractions.model.trial.SampleClock;
import io.useractions.model.trial.SessionSummary;
import io.useractions.model.trial.Trial;

/**
 * The trial and session_summary tables and what the research library computes from the rows, as rows
 * of text that compare equal when the values are: times in epoch milliseconds, numbers as Java prints them.
 */
final class SessionRows {

    private SessionRows() {
    }

    static Map<String, String> values(Trial t) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("mt_id", t.mtId());
        v.put("session_id", t.session().sessionId());
        v.put("participant", t.session().participant());
        v.put("condition", String.valueOf(t.session().condition()));
        v.put("trial", String.valueOf(t.trial()));
        v.put("ordinal", String.valueOf(t.ordinal()));
        v.put("outcome", String.valueOf(t.outcome()));
        v.put("incomplete", String.valueOf(t.incomplete()));
        v.put("start_seq", String.valueOf(t.startSeq()));
        v.put("end_seq", String.valueOf(t.endSeq()));
        v.put("start_client_ms", String.valueOf(t.startClientTime().toEpochMilli()));
        v.put("end_client_ms", String.valueOf(t.endClientTime().toEpochMilli()));
        v.put("start_server_ms", String.valueOf(t.startServerTime().toEpochMilli()));
        v.put("end_server_ms", String.valueOf(t.endServerTime().toEpochMilli()));
        v.put("misses", String.valueOf(t.misses()));
        v.put("samples", String.valueOf(t.sampleCount()));
        v.put("interval_median_ms", String.valueOf(t.medianIntervalMs()));
        v.put("interval_p95_ms", String.valueOf(t.p95IntervalMs()));
        v.put("lost_actions", String.valueOf(t.lostActions()));
        v.put("clock_flagged", String.valueOf(t.clockFlagged()));
        v.put("time_base", SampleClock.usesMonotonic(t.samples()) ? "t_mono" : "client_time");
        return v;
    }

    static Map<String, String> values(SessionSummary s) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("session_id", s.session().sessionId());
        v.put("participant", s.session().participant());
        v.put("condition", String.valueOf(s.session().condition()));
        v.put("actions", String.valueOf(s.actions()));
        v.put("first_seq", String.valueOf(s.firstSeq()));
        v.put("last_seq", String.valueOf(s.lastSeq()));
        v.put("lost_actions", String.valueOf(s.lostActions()));
        v.put("late_actions", String.valueOf(s.lateActions()));
        v.put("first_client_ms", String.valueOf(s.firstClientTime().toEpochMilli()));
        v.put("last_client_ms", String.valueOf(s.lastClientTime().toEpochMilli()));
        v.put("first_server_ms", String.valueOf(s.firstServerTime().toEpochMilli()));
        v.put("last_server_ms", String.valueOf(s.lastServerTime().toEpochMilli()));
        v.put("pointer_samples", String.valueOf(s.pointerSamples()));
        v.put("flagged_clocks", String.valueOf(s.flaggedClocks()));
        v.put("trials", String.valueOf(s.trials()));
        v.put("trials_completed", String.valueOf(s.trialsCompleted()));
        return v;
    }

    private static String ms(String column) {
        return "(extract(epoch from " + column + ") * 1000)::bigint";
    }

    /** The trial table's rows of a study in the research library's order (session, then seq). */
    static List<Map<String, String>> trials(TestPipeline pipeline, String study) {
        return strings(pipeline.rows("select mt_id, session_id, participant, condition, trial, ordinal, outcome,"
                + " incomplete, start_seq, end_seq, " + ms("start_client_time") + " start_client_ms, "
                + ms("end_client_time") + " end_client_ms, " + ms("start_server_time") + " start_server_ms, "
                + ms("end_server_time") + " end_server_ms, misses, samples, interval_median_ms, interval_p95_ms,"
                + " lost_actions, clock_flagged, time_base from trial where study = ?"
                + " order by session_id, participant, start_seq", study));
    }

    /** The session_summary rows of a study in the research library's order. */
    static List<Map<String, String>> sessions(TestPipeline pipeline, String study) {
        return strings(pipeline.rows("select session_id, participant, condition, actions, first_seq, last_seq,"
                + " lost_actions, late_actions, " + ms("first_client_time") + " first_client_ms, "
                + ms("last_client_time") + " last_client_ms, " + ms("first_server_time") + " first_server_ms, "
                + ms("last_server_time") + " last_server_ms, pointer_samples, flagged_clocks, trials,"
                + " trials_completed from session_summary where study = ? order by session_id, participant", study));
    }

    private static List<Map<String, String>> strings(List<Map<String, Object>> rows) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, String> v = new LinkedHashMap<>();
            row.forEach((column, value) -> v.put(column, String.valueOf(value)));
            out.add(v);
        }
        return out;
    }

    /** The rows without late_actions, which only the stream can count. */
    static List<Map<String, String>> withoutLate(List<Map<String, String>> rows) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> row : rows) {
            Map<String, String> copy = new LinkedHashMap<>(row);
            copy.remove("late_actions");
            out.add(copy);
        }
        return out;
    }
}
