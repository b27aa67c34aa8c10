package io.useractions.processor.withdrawal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.useractions.processor.Periodic;
import io.useractions.processor.config.ProcessorConfig;

/**
 * This processor's view of {@code participant_withdrawal}. The topology reads {@link #get()}, refreshed
 * every {@code ual.processor.withdrawal.refresh-interval}: dropping a withdrawn participant's records
 * there is prompt but not exact. The exact guard is {@link #lockAndCheck}, which every sink and replay
 * transaction that writes rows runs first: it takes {@code participant_withdrawal} in SHARE mode, which
 * conflicts with the withdrawal's INSERT, so a withdrawal waits for the sink transactions in flight and
 * the sink transactions after it wait for the withdrawal to commit, and then reads the version
 * ({@link Withdrawn}). The set is read again only when the version changed.
 */
@ApplicationScoped
public class Withdrawals implements Supplier<Withdrawn> {
    private static final Logger LOG = Logger.getLogger(Withdrawals.class);
    /** One round trip: pgjdbc sends both statements before one sync. */
    static final String LOCK_AND_VERSION = "lock table participant_withdrawal in share mode; "
            + "select count(*), coalesce((extract(epoch from max(withdrawn_at)) * 1000000)::bigint, 0) "
            + "from participant_withdrawal";
    /** The set and its version in one statement, so in one snapshot. */
    private static final String ALL = "select study, participant, count(*) over (), "
            + "(extract(epoch from max(withdrawn_at) over ()) * 1000000)::bigint from participant_withdrawal";

    private final DataSource dataSource;
    private final ProcessorConfig config;
    private final MeterRegistry registry;
    private volatile Withdrawn current = Withdrawn.NONE;
    private Periodic refresher;

    public Withdrawals(DataSource dataSource, ProcessorConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!config.streams().enabled() && !config.sink().enabled()) {
            return;
        }
        tryRefresh();
        refresher = Periodic.every(config.withdrawal().refreshInterval(), "withdrawal-refresh", this::tryRefresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.stop();
        }
    }

    /** The withdrawals as last read. */
    @Override
    public Withdrawn get() {
        return current;
    }

    /** Reads the withdrawals now. */
    public Withdrawn refresh() {
        try (Connection connection = dataSource.getConnection()) {
            return remember(readAll(connection));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read participant_withdrawal: " + e.getMessage(), e);
        }
    }

    /** Reads the withdrawals now, or keeps the last read (logged) when the database does not answer. */
    public void tryRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("Cannot refresh the withdrawn participants (the sink still checks them in each transaction): %s",
                    e.getMessage());
        }
    }

    /**
     * Within the caller's transaction: takes {@code participant_withdrawal} in SHARE mode (held until the
     * transaction ends) and returns the withdrawals as of now: {@code seen} when nothing changed since it
     * was read, else the set read again under the lock.
     */
    public Withdrawn lockAndCheck(Connection connection, Withdrawn seen) throws SQLException {
        long count;
        long latest;
        try (Statement statement = connection.createStatement()) {
            statement.execute(LOCK_AND_VERSION);
            // The first result is the LOCK's update count; the second the version.
            if (!statement.getMoreResults()) {
                throw new SQLException("no version read from participant_withdrawal");
            }
            try (ResultSet rs = statement.getResultSet()) {
                rs.next();
                count = rs.getLong(1);
                latest = rs.getLong(2);
            }
        }
        if (seen.sameVersion(count, latest)) {
            return seen;
        }
        return remember(readAll(connection));
    }

    /** Counts records or rows of withdrawn participants that were dropped, by where. */
    public void dropped(String stage, long count) {
        if (count > 0) {
            Counter.builder("ual.processor.withdrawn.dropped")
                    .description("Records and rows of withdrawn participants dropped instead of written")
                    .tag("stage", stage).register(registry).increment(count);
        }
    }

    private static Withdrawn readAll(Connection connection) throws SQLException {
        Set<String> keys = new HashSet<>();
        long count = 0;
        long latest = 0;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(ALL)) {
            while (rs.next()) {
                keys.add(Withdrawn.key(rs.getString(1), rs.getString(2)));
                count = rs.getLong(3);
                latest = rs.getLong(4);
            }
        }
        return new Withdrawn(count, latest, keys);
    }

    /** Keeps the newer of the two views: withdrawals are only ever added. */
    private synchronized Withdrawn remember(Withdrawn read) {
        if (read.count() >= current.count()) {
            current = read;
        }
        return read;
    }
}
