package io.useractions.e2e;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.useractions.model.trial.SessionSummary;
import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialRow;

/**
 * The trial and session_summary tables and what the research library computes from the rows, as rows
 * of text that compare equal when the values are: times in epoch milliseconds, numbers as Java prints them.
 */
final class SessionRows {

    private SessionRows() {
    }

    /** The research library's trial as {@link TrialRow} writes it into the trial table. */
    static Map<String, String> values(Trial t) {
        List<String> values = new ArrayList<>();
        TrialRow.write(t, new TrialRow.Values<RuntimeException>() {
            @Override public void text(String value) { values.add(String.valueOf(value)); }
            @Override public void integer(long value) { values.add(String.valueOf(value)); }
            @Override public void number(Double value) { values.add(String.valueOf(value)); }
            @Override public void bool(boolean value) { values.add(String.valueOf(value)); }
            @Override public void time(Instant value) { values.add(value == null ? "null" : "" + value.toEpochMilli()); }
        });
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < TrialRow.COLUMNS.size(); i++) {
            row.put(TrialRow.COLUMNS.get(i), values.get(i));
        }
        return row;
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
        v.put("first_client_time", String.valueOf(s.firstClientTime().toEpochMilli()));
        v.put("last_client_time", String.valueOf(s.lastClientTime().toEpochMilli()));
        v.put("first_server_time", String.valueOf(s.firstServerTime().toEpochMilli()));
        v.put("last_server_time", String.valueOf(s.lastServerTime().toEpochMilli()));
        v.put("pointer_samples", String.valueOf(s.pointerSamples()));
        v.put("flagged_clocks", String.valueOf(s.flaggedClocks()));
        v.put("trials", String.valueOf(s.trials()));
        v.put("trials_completed", String.valueOf(s.trialsCompleted()));
        return v;
    }

    /** The trial table's rows of a study in the research library's order (session, then seq). */
    static List<Map<String, String>> trials(TestPipeline pipeline, String study) {
        return strings(pipeline.rows("select " + String.join(", ", TrialRow.COLUMNS) + " from trial where study = ?"
                + " order by session_id, participant, start_seq", study));
    }

    /** The session_summary rows of a study in the research library's order. */
    static List<Map<String, String>> sessions(TestPipeline pipeline, String study) {
        return strings(pipeline.rows("select session_id, participant, condition, actions, first_seq, last_seq,"
                + " lost_actions, late_actions, first_client_time, last_client_time, first_server_time,"
                + " last_server_time, pointer_samples, flagged_clocks, trials, trials_completed from session_summary"
                + " where study = ? order by session_id, participant", study));
    }

    /** Times as epoch milliseconds, everything else as Java prints it. */
    private static List<Map<String, String>> strings(List<Map<String, Object>> rows) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, String> v = new LinkedHashMap<>();
            row.forEach((column, value) -> v.put(column,
                    value instanceof Timestamp time ? String.valueOf(time.getTime()) : String.valueOf(value)));
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
