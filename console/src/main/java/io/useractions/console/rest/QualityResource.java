package io.useractions.console.rest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.useractions.console.quality.ActionRate;
import io.useractions.console.quality.DeadLetterCounts;
import io.useractions.console.quality.DroppedDuplicates;
import io.useractions.research.quality.SessionQuality;
import io.useractions.research.quality.StudyQuality;
import io.useractions.research.quality.Thresholds;

/**
 * A study's data quality now: totals, what is active, and each session's metrics with the problems that
 * need a look (lost actions, a wrong clock, coarse pointer sampling, silence before finishing).
 */
@Path("/api/v1/studies/{study}/quality")
public class QualityResource {
    @Inject
    DataSource dataSource;
    @Inject
    ActionRate rate;
    @Inject
    DeadLetterCounts deadLetters;
    @Inject
    DroppedDuplicates dropped;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> quality(@PathParam("study") String study) throws SQLException {
        Instant now = Instant.now();
        StudyQuality.Overview overview;
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            overview = StudyQuality.read(c, study, now);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("study", overview.study());
        body.put("at", overview.at().toString());
        body.put("participants", overview.participants());
        body.put("sessions", overview.sessions());
        body.put("actions", overview.actions());
        body.put("pointer_samples", overview.pointerSamples());
        body.put("active_participants", overview.activeParticipants());
        body.put("active_sessions", overview.activeSessions());
        body.put("actions_per_second", rate.observe(study, now, overview.actions()));
        body.put("dead_letters", deadLetters.study(study));
        Map<String, Long> duplicates = dropped.of(study);
        body.put("duplicates_dropped", duplicates == null ? null
                : duplicates.values().stream().mapToLong(Long::longValue).sum());
        List<Map<String, Object>> sessions = new ArrayList<>();
        for (SessionQuality s : overview.sessionList()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("participant", s.participant());
            row.put("session_id", s.sessionId());
            row.put("condition", s.condition());
            row.put("actions", s.actions());
            row.put("pointer_samples", s.pointerSamples());
            row.put("first_seen", s.firstSeen().toString());
            row.put("last_seen", s.lastSeen().toString());
            row.put("lost", s.lost());
            row.put("lost_percent", s.lostPercent());
            row.put("skew_median_ms", s.skewMedianMs());
            row.put("skew_worst_ms", s.skewWorstMs());
            row.put("flagged_clocks", s.flaggedClocks());
            row.put("interval_median_ms", s.intervalMedianMs());
            row.put("interval_p95_ms", s.intervalP95Ms());
            row.put("trials_completed", s.trialsCompleted());
            row.put("dead_letters", deadLetters.session(study, s.sessionId()));
            row.put("duplicates_dropped", duplicates == null ? null
                    : duplicates.getOrDefault(s.participant() + "/" + s.sessionId(), 0L));
            row.put("finished", s.finished());
            row.put("problems", Thresholds.DEFAULT.problems(s, now));
            sessions.add(row);
        }
        body.put("session_list", sessions);
        return body;
    }
}
