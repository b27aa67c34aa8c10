package io.useractions.research.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.function.Consumer;

import io.useractions.research.trial.PointerSample;
import io.useractions.research.trial.SessionAction;
import io.useractions.research.trial.SessionKey;
import io.useractions.research.trial.Trial;
import io.useractions.research.trial.TrialSegmenter;

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
                String session = null;
                while (rs.next()) {
                    String p = rs.getString(1);
                    String s = rs.getString(2);
                    if (!s.equals(session) || !p.equals(participant)) {
                        participant = p;
                        session = s;
                        segmenter.startSession(new SessionKey(f.study(), p, s, rs.getString(3)));
                    }
                    segmenter.accept(action(rs));
                    read.row();
                }
            }
        }
        segmenter.finish();
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
