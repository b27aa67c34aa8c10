package io.useractions.research.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.function.Consumer;

import io.useractions.model.trial.PointerSample;
import io.useractions.model.trial.SessionAction;
import io.useractions.model.trial.SessionKey;
import io.useractions.model.trial.SessionSummary;
import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialSegmenter;

/**
 * Streams a study's sessions (ui_action joined with mouse_position, cursor of 5,000 rows) through the
 * {@link TrialSegmenter}; memory holds one running trial. Whole sessions are read whatever the time range:
 * a trial is kept or dropped whole, by its start marker's server_time.
 */
final class TrialSource {

    static final int FETCH_SIZE = 5_000;

    private static final String SQL = """
            SELECT a.participant, a.session_id, a.condition, a.seq, a.type, a.client_time, a.server_time, a.t_mono,
                   CASE WHEN a.type IN (?, ?) THEN a.data ->> 'trial' END, a.clock_flag,
                   m.action_id IS NOT NULL, m.t_mono, m.client_time, m.x, m.y, m.page_x, m.page_y, m.screen_x, m.screen_y
              FROM ui_action a LEFT JOIN mouse_position m ON m.action_id = a.id
             WHERE a.study = ? AND (?::text IS NULL OR a.condition = ?) AND (?::text IS NULL OR a.participant = ?)
             ORDER BY a.session_id, a.participant, a.seq, a.id
            """;

    private TrialSource() {
    }

    /** Streams the request's trials to {@code out}, counting the actions read in {@code read}. */
    static void stream(Connection c, ExportRequest request, Progress read, Consumer<Trial> out) throws SQLException {
        ExportFilter f = request.filter();
        Consumer<Trial> kept = t -> {
            if (f.inRange(t.startServerTime()) && !(f.completeOnly() && t.incomplete())) {
                out.accept(t);
            }
        };
        TrialSegmenter segmenter = new TrialSegmenter(request.markers(), kept);
        each(c, request, read, segmenter::startSession, segmenter::accept);
        segmenter.finish();
    }

    /**
     * Streams the summary of each of the request's sessions to {@code out} (the time range does not
     * apply: a session is summed up whole), as the processor's session_summary table holds it.
     */
    static void summaries(Connection c, ExportRequest request, Consumer<SessionSummary> out) throws SQLException {
        SessionSummary.Builder[] current = {null};
        TrialSegmenter segmenter = new TrialSegmenter(request.markers(), t -> current[0].trialEnded(t));
        Progress unseen = new Progress("sessions", Progress.ACTIONS, -1, ProgressListener.NONE);
        each(c, request, unseen, session -> {
            segmenter.finish();
            if (current[0] != null) {
                out.accept(current[0].build());
            }
            current[0] = new SessionSummary.Builder(session, request.markers());
            segmenter.startSession(session);
        }, action -> {
            if (current[0].inOrder(action.seq())) {
                current[0].add(action);
                segmenter.accept(action);
            } else {
                current[0].late();
            }
        });
        if (current[0] != null) {
            // Trials still running at the session's end are not ended here: the processor ends them only
            // when the session goes idle, and counts completed trials alone either way.
            out.accept(current[0].build());
        }
    }

    /** Reads the request's sessions in order, each action in seq order. */
    private static void each(Connection c, ExportRequest request, Progress read, Consumer<SessionKey> session,
            Consumer<SessionAction> action) throws SQLException {
        ExportFilter f = request.filter();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setFetchSize(FETCH_SIZE);
            ps.setString(1, request.markers().start());
            ps.setString(2, request.markers().end());
            ps.setString(3, f.study());
            ps.setString(4, f.condition());
            ps.setString(5, f.condition());
            ps.setString(6, f.participant());
            ps.setString(7, f.participant());
            try (ResultSet rs = ps.executeQuery()) {
                String participant = null;
                String sessionId = null;
                while (rs.next()) {
                    String p = rs.getString(1);
                    String s = rs.getString(2);
                    if (!s.equals(sessionId) || !p.equals(participant)) {
                        participant = p;
                        sessionId = s;
                        session.accept(new SessionKey(f.study(), p, s, rs.getString(3)));
                    }
                    action.accept(action(rs));
                    read.row();
                }
            }
        }
    }

    private static SessionAction action(ResultSet rs) throws SQLException {
        long seq = rs.getLong(4);
        PointerSample pointer = null;
        if (rs.getBoolean(11)) {
            pointer = new PointerSample(seq, nullableDouble(rs, 12), instant(rs, 13), rs.getDouble(14),
                    rs.getDouble(15), nullableDouble(rs, 16), nullableDouble(rs, 17), nullableDouble(rs, 18),
                    nullableDouble(rs, 19));
        }
        return new SessionAction(seq, rs.getString(5), instant(rs, 6), instant(rs, 7), nullableDouble(rs, 8),
                rs.getString(9), rs.getString(10), pointer);
    }

    private static Double nullableDouble(ResultSet rs, int i) throws SQLException {
        double d = rs.getDouble(i);
        return rs.wasNull() ? null : d;
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return Objects.requireNonNull(t, "time column " + i).toInstant();
    }
}
