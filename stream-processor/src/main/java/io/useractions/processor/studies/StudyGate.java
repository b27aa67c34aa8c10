package io.useractions.processor.studies;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.useractions.processor.config.ProcessorConfig;
import io.useractions.processor.projection.ProjectedTable;

/**
 * Which studies' records the processor drops: the deleted ones. The sink and the replay ask before they
 * write; the set is read from {@code study} again when it is older than {@code ual.processor.studies.refresh-interval},
 * on the asking thread, so a record filtered later than that after a deletion committed is dropped by
 * every processor. A failed read keeps the last set.
 */
@ApplicationScoped
public class StudyGate {
    private static final Logger LOG = Logger.getLogger(StudyGate.class);

    private final DataSource dataSource;
    private final Duration refreshInterval;
    private final Map<String, Integer> studyColumns = new ConcurrentHashMap<>();
    private volatile Set<String> dropped = Set.of();
    private volatile long refreshedAt = System.nanoTime() - Long.MAX_VALUE / 2;

    public StudyGate(DataSource dataSource, ProcessorConfig config) {
        this.dataSource = dataSource;
        this.refreshInterval = config.studies().refreshInterval();
    }

    /** How old the set may be when asked: the admin API waits this long (and a little) before its second sweep. */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** Whether records of {@code study} are dropped. */
    public boolean drops(String study) {
        return current().contains(study);
    }

    /** Whether a row of a table spanning actions (trial, session summary) belongs to a dropped study. */
    public boolean drops(ProjectedTable table, byte[] line) {
        Set<String> studies = current();
        if (studies.isEmpty()) {
            return false;
        }
        int column = studyColumns.computeIfAbsent(table.name(), name -> table.columnNames().indexOf("study"));
        // Study ids hold no character that COPY text escapes, so the field is the bytes between two tabs.
        int start = 0;
        for (int i = 0, field = 0; i <= line.length; i++) {
            if (i == line.length || line[i] == '\t' || line[i] == '\n') {
                if (field == column) {
                    return studies.contains(new String(line, start, i - start, StandardCharsets.UTF_8));
                }
                field++;
                start = i + 1;
            }
        }
        return false;
    }

    /** Drops {@code study} here at once (the admin API, after its deletion committed). */
    public synchronized void dropNow(String study) {
        Set<String> next = new HashSet<>(dropped);
        next.add(study);
        dropped = Set.copyOf(next);
    }

    private Set<String> current() {
        if (System.nanoTime() - refreshedAt > refreshInterval.toNanos()) {
            refresh();
        }
        return dropped;
    }

    private synchronized void refresh() {
        if (System.nanoTime() - refreshedAt <= refreshInterval.toNanos()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select id from study where state = 'deleted'")) {
            Set<String> studies = new HashSet<>();
            while (rs.next()) {
                studies.add(rs.getString(1));
            }
            dropped = Set.copyOf(studies);
        } catch (SQLException e) {
            LOG.warnf("Cannot read the deleted studies, keeping the last %d: %s", dropped.size(), e.getMessage());
        } finally {
            refreshedAt = System.nanoTime();
        }
    }
}
