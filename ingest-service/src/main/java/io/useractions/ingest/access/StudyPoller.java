package io.useractions.ingest.access;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.WriteKey;

/**
 * Reads the studies, their keys and the withdrawn participants from PostgreSQL every
 * {@code ual.ingest.access.refresh-interval}, in one read-only transaction, and swaps them into the
 * {@link StudyRegistry}. When the database cannot be read the last snapshot stays (readiness shows it).
 */
@ApplicationScoped
public class StudyPoller {
    private static final Logger LOG = Logger.getLogger(StudyPoller.class);

    private final DataSource dataSource;
    private final StudyRegistry registry;
    private final boolean enabled;
    private volatile Status status = new Status(null, null);

    public StudyPoller(DataSource dataSource, StudyRegistry registry, IngestConfig config) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.enabled = config.access().fromDatabase();
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * When the studies were last read (null before the first read) and why the last read failed (null when it
     * succeeded), as one value so a reader sees both from the same poll.
     */
    public record Status(Instant lastRead, String lastError) {
    }

    public Status status() {
        return status;
    }

    @Scheduled(every = "${ual.ingest.access.refresh-interval}", delayed = "0s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (!enabled) {
            return;
        }
        try {
            read();
            if (status.lastError() != null) {
                LOG.infof("Reading the studies from PostgreSQL again (%d studies)", registry.snapshot().studies().size());
            }
            status = new Status(Instant.now(), null);
        } catch (SQLException | RuntimeException e) {
            if (status.lastError() == null) {
                LOG.warnf("Cannot read the studies from PostgreSQL, keeping the last ones: %s", e.getMessage());
            }
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            status = new Status(status.lastRead(), error);
        }
    }

    private void read() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(5);
                Map<String, List<WriteKey>> keys = new HashMap<>();
                try (ResultSet rs = statement.executeQuery(
                        "select study, key_hash, valid_from, valid_until from study_key")) {
                    while (rs.next()) {
                        keys.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                                .add(new WriteKey(rs.getString(2), instant(rs, 3), instant(rs, 4)));
                    }
                }
                Map<String, StudySnapshot.Study> studies = new HashMap<>();
                try (ResultSet rs = statement.executeQuery("select id, state, origins from study")) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        Array origins = rs.getArray(3);
                        studies.put(id, new StudySnapshot.Study(id,
                                StudySnapshot.State.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                                List.copyOf(Arrays.asList((String[]) origins.getArray())),
                                List.copyOf(keys.getOrDefault(id, List.of()))));
                    }
                }
                Set<StudySnapshot.Participant> withdrawn = new HashSet<>();
                try (ResultSet rs = statement.executeQuery("select study, participant from participant_withdrawal")) {
                    while (rs.next()) {
                        withdrawn.add(new StudySnapshot.Participant(rs.getString(1), rs.getString(2)));
                    }
                }
                connection.commit();
                registry.update(studies, withdrawn);
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
