package io.useractions.research.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.useractions.research.export.UnknownStudyException;

/**
 * The data quality of a study's sessions: per session the metrics of {@link SessionQuality}, and for the
 * study what is active now. Read from {@code session_quality} and {@code session_histogram}, which
 * PostgreSQL keeps with the rows (migration V3), so the cost grows with sessions, not actions.
 */
public final class StudyQuality {
    /** A session counts as active while its last action is this recent. */
    public static final Duration ACTIVE = Duration.ofMinutes(1);

    private static final String SESSIONS = """
            select participant, session_id, condition, actions, pointer_samples, first_seen, last_seen, highest_seq,
                   greatest(highest_seq - actions, 0), skew_worst_ms, flagged_clocks, trials_completed, finished
              from session_quality
             where study = ?
             order by participant, session_id
            """;
    // The median and 95th percentile: the first bucket whose running count reaches that share.
    private static final String PERCENTILES = """
            select participant, session_id, metric,
                   min(bucket) filter (where 2 * running >= total), min(bucket) filter (where 20 * running >= 19 * total)
              from (select participant, session_id, metric, bucket,
                           sum(samples) over (partition by participant, session_id, metric order by bucket) as running,
                           sum(samples) over (partition by participant, session_id, metric) as total
                      from session_histogram
                     where study = ?) h
             group by participant, session_id, metric
            """;

    /** The study now: totals, what is active, and every session. */
    public record Overview(String study, Instant at, long participants, long sessions, long actions,
            long pointerSamples, long activeParticipants, long activeSessions, List<SessionQuality> sessionList) {
    }

    private StudyQuality() {
    }

    /**
     * Recomputes the summary of every session of {@code study} from its rows. The sink keeps the summary as
     * it writes; rows written another way (a script, a test's fixture) need this before the overview counts
     * them.
     */
    public static void rebuild(Connection c, String study) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select ual_session_quality_derive(array_agg(study),"
                + " array_agg(participant), array_agg(session_id))"
                + " from (select distinct study, participant, session_id from ui_action where study = ?) k")) {
            s.setString(1, study);
            s.execute();
        }
    }

    public static Overview read(Connection c, String study, Instant now) throws SQLException {
        Map<String, double[]> percentiles = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(PERCENTILES)) {
            s.setString(1, study);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    percentiles.put(rs.getString(3) + '\u0000' + rs.getString(1) + '\u0000' + rs.getString(2),
                            new double[] {Buckets.value(rs.getInt(4)), Buckets.value(rs.getInt(5))});
                }
            }
        }
        List<SessionQuality> sessions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SESSIONS)) {
            s.setString(1, study);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String key = '\u0000' + rs.getString(1) + '\u0000' + rs.getString(2);
                    double[] skew = percentiles.get("skew" + key);
                    double[] step = percentiles.get("step" + key);
                    sessions.add(new SessionQuality(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), instant(rs, 6), instant(rs, 7), rs.getLong(8), rs.getLong(9),
                            skew == null ? null : skew[0], rs.getLong(10), rs.getLong(11),
                            step == null ? null : step[0], step == null ? null : step[1], rs.getLong(12),
                            rs.getBoolean(13)));
                }
            }
        }
        if (sessions.isEmpty()) {
            throw new UnknownStudyException(study);
        }
        Instant activeSince = now.minus(ACTIVE);
        List<SessionQuality> active = sessions.stream()
                .filter(q -> q.lastSeen() != null && q.lastSeen().isAfter(activeSince))
                .toList();
        return new Overview(study, now, sessions.stream().map(SessionQuality::participant).distinct().count(),
                sessions.size(), sessions.stream().mapToLong(SessionQuality::actions).sum(),
                sessions.stream().mapToLong(SessionQuality::pointerSamples).sum(),
                active.stream().map(SessionQuality::participant).distinct().count(), active.size(), sessions);
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime time = rs.getObject(i, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
