package io.useractions.research.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.useractions.research.export.UnknownStudyException;

/**
 * The data quality of a study's sessions, read from the two tables: per session the metrics of
 * {@link SessionQuality}, and for the study what is active now. Computed by PostgreSQL on each call
 * from the study's rows (the session index serves both tables).
 */
public final class StudyQuality {
    /** A session counts as active while its last action is this recent. */
    public static final Duration ACTIVE = Duration.ofMinutes(1);
    /** The window the current action rate is measured over. */
    public static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    private static final String SESSIONS = """
            with a as (
              select participant, session_id, max(condition) as condition, count(*) as actions,
                     count(distinct seq) as seqs, max(seq) as highest_seq,
                     min(server_time) as first_seen, max(server_time) as last_seen,
                     percentile_cont(0.5) within group (order by clock_skew_ms) as skew_median,
                     max(abs(clock_skew_ms)) as skew_worst,
                     count(*) filter (where clock_flag is not null) as flagged,
                     count(*) filter (where type = ?) as trials_completed,
                     bool_or(type = any(?)) as finished,
                     count(*) filter (where server_time >= ?) as recent
                from ui_action where study = ?
               group by participant, session_id),
            m as (
              select participant, session_id, count(*) as samples,
                     percentile_cont(0.5) within group (order by step) as interval_median,
                     percentile_cont(0.95) within group (order by step) as interval_p95
                from (select participant, session_id,
                             t_mono - lag(t_mono) over (partition by participant, session_id order by seq) as step
                        from mouse_position where study = ?) steps
               group by participant, session_id)
            select a.participant, a.session_id, a.condition, a.actions, coalesce(m.samples, 0), a.first_seen,
                   a.last_seen, a.highest_seq, a.highest_seq - a.seqs, a.skew_median, a.skew_worst, a.flagged,
                   m.interval_median, m.interval_p95, a.trials_completed, a.finished, a.recent
              from a left join m on m.participant = a.participant and m.session_id = a.session_id
             order by a.participant, a.session_id
            """;

    /** What a session's end looks like: the study's completion marker or the page closing. */
    public record Markers(String trialEnd, List<String> finished) {
        public static final Markers DEFAULT = new Markers("trial:end", List.of("study:complete", "page_unload"));
    }

    /** The study now: totals, what is active, and every session. */
    public record Overview(String study, Instant at, long participants, long sessions, long actions,
            long pointerSamples, long activeParticipants, long activeSessions, double actionsPerSecond,
            List<SessionQuality> sessionList) {
    }

    private StudyQuality() {
    }

    public static Overview read(Connection c, String study, Markers markers, Instant now) throws SQLException {
        List<SessionQuality> sessions = new ArrayList<>();
        long recent = 0;
        try (PreparedStatement s = c.prepareStatement(SESSIONS)) {
            s.setString(1, markers.trialEnd());
            s.setArray(2, c.createArrayOf("text", markers.finished().toArray()));
            s.setObject(3, OffsetDateTime.ofInstant(now.minus(RATE_WINDOW), java.time.ZoneOffset.UTC));
            s.setString(4, study);
            s.setString(5, study);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sessions.add(new SessionQuality(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), instant(rs, 6), instant(rs, 7), rs.getLong(8), rs.getLong(9),
                            nullableDouble(rs, 10), rs.getLong(11), rs.getLong(12), nullableDouble(rs, 13),
                            nullableDouble(rs, 14), rs.getLong(15), rs.getBoolean(16)));
                    recent += rs.getLong(17);
                }
            }
        }
        if (sessions.isEmpty()) {
            throw new UnknownStudyException(study);
        }
        Instant activeSince = now.minus(ACTIVE);
        List<SessionQuality> active = sessions.stream().filter(q -> q.lastSeen().isAfter(activeSince)).toList();
        return new Overview(study, now, sessions.stream().map(SessionQuality::participant).distinct().count(),
                sessions.size(), sessions.stream().mapToLong(SessionQuality::actions).sum(),
                sessions.stream().mapToLong(SessionQuality::pointerSamples).sum(),
                active.stream().map(SessionQuality::participant).distinct().count(), active.size(),
                recent / (double) RATE_WINDOW.toSeconds(), sessions);
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        return rs.getObject(i, OffsetDateTime.class).toInstant();
    }

    private static Double nullableDouble(ResultSet rs, int i) throws SQLException {
        double d = rs.getDouble(i);
        return rs.wasNull() ? null : d;
    }
}
