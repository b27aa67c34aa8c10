package io.useractions.research.export;

import static io.useractions.research.export.ColumnType.BOOLEAN;
import static io.useractions.research.export.ColumnType.INTEGER;
import static io.useractions.research.export.ColumnType.NUMBER;
import static io.useractions.research.export.ColumnType.STRING;
import static io.useractions.research.export.ColumnType.TIMESTAMP;

import java.util.ArrayList;
import java.util.List;

import io.useractions.research.trajectory.Measure;
import io.useractions.research.trial.Frame;

/** The columns of every export table: the one place they are described. */
public final class Tables {

    static final String PX = "px (CSS)";
    static final String MS = "ms";

    private Tables() {
    }

    public static Table describe(TableName name, Frame frame) {
        return describe(name, frame, Analysis.MOUSETRAP);
    }

    public static Table describe(TableName name, Frame frame, Analysis analysis) {
        return switch (name) {
            case ACTIONS -> actions();
            case POSITIONS -> positions();
            case TRIALS -> trials();
            case MEASURES -> measures(analysis);
            case TRAJECTORIES -> trajectories(frame);
            case TRAJECTORIES_TN -> trajectoriesTn(analysis);
        };
    }

    /** ORDER BY of both database tables: sessions kept together, actions in the logger's order, id breaks ties. */
    static String order(String id) {
        return "session_id, participant, seq, " + id;
    }

    private static List<Column> sessionColumns() {
        return List.of(
                Column.of("study", STRING, "study the action was logged for").notNull().sql("study"),
                Column.of("participant", STRING, "participant id as the logger sent it").notNull().sql("participant"),
                Column.of("session_id", STRING, "session id (one tab's visit; unique per participant)").notNull()
                        .sql("session_id"),
                Column.of("condition", STRING, "experimental condition of the session, empty when none").sql("condition"),
                Column.of("seq", INTEGER, "per-session action counter of the logger; a gap means lost actions")
                        .notNull().sql("seq"),
                Column.of("type", STRING, "action type: a DOM event (click, mousemove, ...) or a study's custom"
                        + " action (trial:start, ...)").notNull().sql("type"),
                Column.of("client_time", TIMESTAMP, "when the action happened by the participant's clock (UTC)")
                        .notNull().sql("client_time"),
                Column.of("server_time", TIMESTAMP, "client_time shifted by the batch's send delay (received_at"
                        + " - sent_at): comparable across participants whose clocks are wrong (UTC)").notNull()
                        .sql("server_time"),
                Column.of("t_mono", NUMBER, "performance.now() at the action: monotonic ms since the page loaded;"
                        + " use it for intervals within a page").unit(MS).sql("t_mono"));
    }

    private static List<Column> positionColumns() {
        return List.of(
                Column.of("x", NUMBER, "pointer x in the viewport (clientX), growing rightwards").unit(PX)
                        .frame("client").sql("x"),
                Column.of("y", NUMBER, "pointer y in the viewport (clientY), growing downwards").unit(PX)
                        .frame("client").sql("y"),
                Column.of("page_x", NUMBER, "pointer x in the document (pageX)").unit(PX).frame("page").sql("page_x"),
                Column.of("page_y", NUMBER, "pointer y in the document (pageY), growing downwards").unit(PX)
                        .frame("page").sql("page_y"),
                Column.of("screen_x", NUMBER, "pointer x on the screen (screenX)").unit(PX).frame("screen")
                        .sql("screen_x"),
                Column.of("screen_y", NUMBER, "pointer y on the screen (screenY), growing downwards").unit(PX)
                        .frame("screen").sql("screen_y"),
                Column.of("vw", INTEGER, "viewport width").unit(PX).sql("vw::int8"),
                Column.of("vh", INTEGER, "viewport height").unit(PX).sql("vh::int8"));
    }

    static Table actions() {
        List<Column> c = new ArrayList<>();
        c.add(Column.of("action_id", STRING, "id of the action (UUID), the key shared with positions").notNull()
                .sql("id::text"));
        c.addAll(sessionColumns());
        c.add(Column.of("clock_skew_ms", INTEGER, "server_time - client_time: the batch's send delay").unit(MS)
                .notNull().sql("clock_skew_ms"));
        c.add(Column.of("clock_flag", STRING, "why the client clock looks implausible for this action; empty when"
                + " it looks fine").sql("clock_flag"));
        c.add(Column.of("sent_at", TIMESTAMP, "when the logger sent the action's batch, client clock (UTC)")
                .notNull().sql("sent_at"));
        c.add(Column.of("received_at", TIMESTAMP, "when the server received the batch, server clock (UTC)")
                .notNull().sql("received_at"));
        c.add(Column.of("url", STRING, "page URL").sql("url"));
        c.addAll(positionColumns());
        c.add(Column.of("target_id", STRING, "id attribute of the event's target element").sql("target_id"));
        c.add(Column.of("target_selector", STRING, "CSS selector of the event's target element")
                .sql("target_selector"));
        c.add(Column.of("target_attrs", STRING, "JSON text: attributes of the target the logger was asked to keep")
                .sql("target_attrs::text"));
        c.add(Column.of("data", STRING, "JSON text: the action's own data (e.g. {\"trial\":3,...} of trial:start)")
                .sql("data::text"));
        c.add(Column.of("context", STRING, "JSON text: the logger's context (user agent, screen, ...)")
                .sql("context::text"));
        return new Table(TableName.ACTIONS, "one row per logged action (ui_action), in session and seq order",
                c, List.of("action_id"));
    }

    static Table positions() {
        List<Column> c = new ArrayList<>();
        c.add(Column.of("action_id", STRING, "id of the pointer action (UUID); the same row in actions").notNull()
                .sql("action_id::text"));
        c.addAll(sessionColumns());
        c.addAll(positionColumns().stream()
                .map(col -> col.name().equals("x") || col.name().equals("y") ? col.notNull() : col).toList());
        return new Table(TableName.POSITIONS, "one row per pointer action with its coordinates (mouse_position),"
                + " in session and seq order", c, List.of("action_id"));
    }

    static Table trials() {
        List<Column> c = List.of(
                Column.of("mt_id", STRING, "trial key: participant/session_id/trial, plus #k for the k-th repeat of"
                        + " a trial number in a session").notNull(),
                Column.of("study", STRING, "study").notNull(),
                Column.of("participant", STRING, "participant id").notNull(),
                Column.of("session_id", STRING, "session id").notNull(),
                Column.of("condition", STRING, "experimental condition of the session"),
                Column.of("trial", INTEGER, "the start (else end) marker's data.trial when it is an integer, else"
                        + " the ordinal").notNull(),
                Column.of("ordinal", INTEGER, "1 for the session's first start marker, 2 for the next, ...").notNull(),
                Column.of("outcome", STRING, "type of the end marker; empty when incomplete"),
                Column.of("incomplete", BOOLEAN, "no end marker came before the next start marker or the session's"
                        + " end").notNull(),
                Column.of("start_seq", INTEGER, "seq of the start marker").notNull(),
                Column.of("end_seq", INTEGER, "seq of the end marker, or of the trial's last action when incomplete")
                        .notNull(),
                Column.of("start_client_time", TIMESTAMP, "client_time of the start marker (UTC)").notNull(),
                Column.of("end_client_time", TIMESTAMP, "client_time at end_seq (UTC)").notNull(),
                Column.of("start_server_time", TIMESTAMP, "server_time of the start marker (UTC)").notNull(),
                Column.of("end_server_time", TIMESTAMP, "server_time at end_seq (UTC)").notNull(),
                Column.of("misses", INTEGER, "miss markers inside the trial").notNull(),
                Column.of("samples", INTEGER, "pointer samples (positions rows) with start_seq <= seq <= end_seq")
                        .notNull(),
                Column.of("interval_median_ms", NUMBER, "median time between consecutive samples; empty with fewer"
                        + " than two samples").unit(MS),
                Column.of("interval_p95_ms", NUMBER, "95th percentile (type 7) of the time between consecutive"
                        + " samples").unit(MS),
                Column.of("lost_actions", INTEGER, "seq numbers missing after the start marker up to the end"
                        + " marker (or the action that closed the trial): actions lost in transit").notNull(),
                Column.of("clock_flagged", BOOLEAN, "some action of the trial has a clock_flag").notNull(),
                Column.of("time_base", STRING, "t_mono when every sample has it, else client_time: the clock of"
                        + " the trial's timestamps and intervals").notNull());
        return new Table(TableName.TRIALS, "one row per trial: a start marker up to the next end marker in seq"
                + " order, or incomplete when the next start marker or the session's end comes first", c,
                List.of("mt_id"));
    }

    static Table trajectories(Frame frame) {
        List<Column> c = List.of(
                Column.of("mt_id", STRING, "trial key, as in trials").notNull(),
                Column.of("mt_seq", INTEGER, "sample number within the trial, from 1, in seq order").notNull(),
                Column.of("timestamps", NUMBER, "ms since the trial's first sample (t_mono, or client_time as"
                        + " trials.time_base says)").unit(MS).notNull(),
                Column.of("xpos", NUMBER, "pointer x as recorded in the " + frame.label() + " frame").unit(PX)
                        .frame(frame.label()).notNull(),
                Column.of("ypos", NUMBER, "pointer y as recorded in the " + frame.label() + " frame, growing"
                        + " downwards (mousetrap's preparation flips it)").unit(PX).frame(frame.label()).notNull());
        return new Table(TableName.TRAJECTORIES, "mousetrap long format: one row per pointer sample of a trial,"
                + " as recorded (no preparation); samples without coordinates in the frame are left out", c,
                List.of("mt_id", "mt_seq"));
    }

    static Table trajectoriesTn(Analysis analysis) {
        List<Column> c = List.of(
                Column.of("mt_id", STRING, "trial key, as in trials").notNull(),
                Column.of("steps", INTEGER, "time step, 1 to " + analysis.steps()).notNull(),
                Column.of("timestamps", NUMBER, "ms since the trial's first sample, equally spaced").unit(MS),
                Column.of("xpos", NUMBER, "x after mousetrap's standard preparation (" + analysis.describe()
                        + "; mt_remap_symmetric mirrors by the sign of the last sample before the start is moved to"
                        + " 0,0, which turns browser trials half round: docs/measures.md), linearly interpolated")
                        .unit(PX),
                Column.of("ypos", NUMBER, "y after the same preparation (mirrored to grow upwards first)").unit(PX));
        return new Table(TableName.TRAJECTORIES_TN, "mt_time_normalize(nsteps = " + analysis.steps()
                + ") of each trial after mousetrap's standard preparation; empty values for a trial with fewer than"
                + " two distinct times", c, List.of("mt_id", "steps"));
    }

    static Table measures(Analysis analysis) {
        List<Column> c = new ArrayList<>();
        c.add(Column.of("mt_id", STRING, "trial key, as in trials").notNull());
        for (String name : io.useractions.research.trajectory.Measures.COLUMNS) {
            Measure m = Measure.ofColumn(name);
            c.add(Column.of(name, NUMBER, MeasureText.description(m)).unit(MeasureText.unit(m)));
        }
        c.add(Column.of("flags", STRING, "why some measures are empty or need care, ';'-separated"
                + " (too_few_samples, start_equals_end, repeated_timestamp, invalid_trajectory)"));
        return new Table(TableName.MEASURES, "mousetrap's mt_measures of each trial after its standard"
                + " preparation (" + analysis.describe() + "; see docs/measures.md); empty = NA", c, List.of("mt_id"));
    }
}
