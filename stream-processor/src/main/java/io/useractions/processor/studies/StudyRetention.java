package io.useractions.processor.studies;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.useractions.processor.Periodic;
import io.useractions.processor.config.ProcessorConfig;

/**
 * Deletes the closed studies whose retention has passed since they were closed, every
 * {@code ual.processor.studies.retention-check-interval}, as {@code DELETE /admin/studies/{id}} does
 * (audited with the actor {@value #ACTOR}). With several processors, one checks at a time: the run holds
 * a PostgreSQL advisory lock, and the others skip theirs; each deletion checks again with the study's row
 * locked, so a study reopened meanwhile is kept.
 */
@ApplicationScoped
public class StudyRetention {
    private static final Logger LOG = Logger.getLogger(StudyRetention.class);
    public static final String ACTOR = "retention";
    private static final String TRY_LOCK = "select pg_try_advisory_lock(hashtext('ual-study-retention'))";
    private static final String UNLOCK = "select pg_advisory_unlock(hashtext('ual-study-retention'))";

    private final DataSource dataSource;
    private final StudyStore store;
    /** How long between two checks; none when it is zero. */
    private final Duration every;
    private Periodic checker;

    public StudyRetention(DataSource dataSource, StudyStore store, ProcessorConfig config) {
        this.dataSource = dataSource;
        this.store = store;
        this.every = config.studies().retentionCheckInterval();
    }

    void start(@Observes StartupEvent event) {
        if (every.toMillis() > 0) {
            checker = Periodic.every(every, "study-retention", this::tryCheck);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (checker != null) {
            checker.stop();
        }
    }

    private void tryCheck() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warnf("Retention check failed, trying again in %s: %s", every, e.getMessage());
        }
    }

    /**
     * Deletes the studies due now; returns the rows deleted per study, or null when another processor was
     * checking (this one did nothing).
     */
    public Map<String, Map<String, Long>> check() {
        try (Connection lock = dataSource.getConnection()) {
            if (!advisory(lock, TRY_LOCK)) {
                return null;
            }
            try {
                Map<String, Map<String, Long>> deleted = new LinkedHashMap<>();
                for (String id : store.expired()) {
                    Map<String, Long> rows = store.deleteIfExpired(id, ACTOR);
                    if (rows != null) {
                        LOG.infof("Study %s deleted: its retention passed since it was closed; rows %s", id, rows);
                        deleted.put(id, rows);
                    }
                }
                return deleted;
            } finally {
                advisory(lock, UNLOCK);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("retention check: " + e.getMessage(), e);
        }
    }

    private static boolean advisory(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
