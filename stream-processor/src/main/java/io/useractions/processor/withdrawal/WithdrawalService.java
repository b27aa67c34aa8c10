package io.useractions.processor.withdrawal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.useractions.model.Jdbc;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.processor.sessions.SessionTables;
import io.useractions.processor.tables.DerivedTable;
import io.useractions.processor.tables.DerivedTables;

/**
 * Withdraws a participant of a study: in one transaction, records the withdrawal (which waits for the sink
 * transactions in flight and holds new ones back until it commits, see {@link Withdrawals}), deletes their
 * rows from every table the sink writes and from the session quality summary, deletes their data keys
 * (so their sealed records in Kafka no longer open), and appends an audit row
 * with the counts. Nothing of theirs is kept outside the counts and their code.
 */
@ApplicationScoped
public class WithdrawalService {
    private static final Logger LOG = Logger.getLogger(WithdrawalService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Summaries kept per session (the sink folds its rows in, deletes recompute them); deleted with the rows,
     * counted like them.
     */
    private static final List<String> SUMMARIES = List.of("session_quality", "session_histogram");
    /** The participants' data keys, deleted with their rows. */
    static final String KEYS = "participant_key";
    /** The longest a withdrawal waits for a lock before it gives up (the sink waits behind it meanwhile). */
    static final String LOCK_TIMEOUT = "5s";
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final DataSource dataSource;
    private final DerivedTables tables;
    private final Withdrawals withdrawals;
    private final ParticipantKeys keys;

    public WithdrawalService(DataSource dataSource, DerivedTables tables, Withdrawals withdrawals,
            ParticipantKeys keys) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.withdrawals = withdrawals;
        this.keys = keys;
    }

    /** A withdrawal as recorded: who withdrew whom, when, why, and the rows deleted per table. */
    public record Withdrawal(String study, String participant, Instant withdrawnAt, String withdrawnBy, String reason,
            Map<String, Long> deleted) {
    }

    /** The participant had withdrawn already; nothing changed. */
    public static final class AlreadyWithdrawn extends RuntimeException {
        private final Withdrawal earlier;

        AlreadyWithdrawn(Withdrawal earlier) {
            super(earlier.participant() + " of study " + earlier.study() + " withdrew already, at "
                    + earlier.withdrawnAt() + " (by " + earlier.withdrawnBy() + ")", null, false, false);
            this.earlier = earlier;
        }

        public Withdrawal earlier() {
            return earlier;
        }
    }

    public Withdrawal withdraw(String study, String participant, String by, String reason) {
        try (Connection connection = dataSource.getConnection()) {
            Withdrawal done = Jdbc.inTransaction(connection, c -> withdraw(c, study, participant, by, reason));
            refreshAfterCommit();
            LOG.infof("Withdrew participant %s of study %s (by %s): deleted %s", participant, study, by,
                    done.deleted());
            return done;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new Busy();
            }
            throw new IllegalStateException("withdrawal failed: " + e.getMessage(), e);
        }
    }

    /**
     * After a withdrawal committed: this processor drops their records at once, the others within their refresh,
     * and forgets their keys at once, the others within their cache's time to live.
     */
    public void refreshAfterCommit() {
        withdrawals.tryRefresh();
        keys.clear();
    }

    /** The withdrawal waited longer than {@link #LOCK_TIMEOUT} for a lock: a long replay holds it. Nothing changed. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("a replay or another withdrawal holds the tables; nothing changed, try again later", null, false,
                    false);
        }
    }

    /**
     * Within the caller's transaction (the study's deletion): withdraws every participant of {@code study}
     * as {@link #withdraw} withdraws one, under the same lock, and deletes all the study's rows; returns the
     * rows deleted per table. Throws {@link Busy} when the lock is not free within {@link #LOCK_TIMEOUT}.
     * The caller calls {@link #refreshAfterCommit} after its commit.
     */
    public Map<String, Long> withdrawStudy(Connection connection, String study, String by) throws SQLException {
        try {
            // The summaries are deleted by study below, not recomputed session by session by the triggers.
            Jdbc.execute(connection, "set local lock_timeout = '" + LOCK_TIMEOUT + "'",
                    "set local ual.session_quality_deferred = 'on'");
            // First, as a withdrawal: waits for the sink transactions in flight and holds new ones back.
            Jdbc.update(connection, "insert into participant_withdrawal (study, participant, withdrawn_by, reason) "
                    + "values (?, ?, ?, 'study deleted') on conflict (study, participant) do nothing",
                    study, Withdrawn.WHOLE_STUDY, by);
            Map<String, Long> deleted = new LinkedHashMap<>();
            for (String table : tablesWritten(connection)) {
                deleted.put(table, delete(connection, table, study, null));
            }
            for (String summary : SUMMARIES) {
                deleted.put(summary, delete(connection, summary, study, null));
            }
            // Their data keys: every sealed copy of their records in Kafka becomes unreadable (docs/withdrawal.md).
            deleted.put(KEYS, delete(connection, KEYS, study, null));
            return deleted;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new Busy();
            }
            throw e;
        }
    }

    private Withdrawal withdraw(Connection connection, String study, String participant, String by, String reason)
            throws SQLException {
        // First: the INSERT's lock waits for the sink transactions in flight, and holds new ones back, so no row
        // of theirs can be committed after the deletes below. The sink queues behind a waiting withdrawal, so
        // it does not wait long: a straight-in replay holds the lock for its whole run.
        Jdbc.execute(connection, "set local lock_timeout = '" + LOCK_TIMEOUT + "'");
        Instant at;
        try (PreparedStatement insert = connection.prepareStatement("insert into participant_withdrawal (study, "
                + "participant, withdrawn_by, reason) values (?, ?, ?, ?) on conflict (study, participant) do nothing "
                + "returning withdrawn_at")) {
            try (ResultSet rs = Jdbc.bind(insert, study, participant, by, reason).executeQuery()) {
                if (!rs.next()) {
                    throw new AlreadyWithdrawn(find(connection, study, participant));
                }
                at = rs.getTimestamp(1).toInstant();
            }
        }
        Map<String, Long> deleted = new LinkedHashMap<>();
        // The summaries first, so their counts are the rows they held; the triggers on the tables of actions
        // would otherwise remove them with the actions. Deleted again after, in case a trigger derived one.
        for (String summary : SUMMARIES) {
            deleted.put(summary, delete(connection, summary, study, participant));
        }
        for (String table : tablesWritten(connection)) {
            deleted.put(table, delete(connection, table, study, participant));
        }
        for (String summary : SUMMARIES) {
            deleted.merge(summary, delete(connection, summary, study, participant), Long::sum);
        }
        // Their data keys: every sealed copy of their records in Kafka becomes unreadable (docs/withdrawal.md).
        deleted.put(KEYS, delete(connection, KEYS, study, participant));
        try (PreparedStatement audit = connection.prepareStatement("insert into withdrawal_audit (at, actor, action, "
                + "study, participant, reason, deleted) values (?, ?, 'withdraw', ?, ?, ?, ?::jsonb)")) {
            audit.setTimestamp(1, Timestamp.from(at));
            audit.setString(2, by);
            audit.setString(3, study);
            audit.setString(4, participant);
            audit.setString(5, reason);
            audit.setString(6, json(deleted));
            audit.executeUpdate();
        }
        return new Withdrawal(study, participant, at, by, reason, deleted);
    }

    /**
     * Every table the sink writes, trial and session_summary even when this processor keeps no sessions (an
     * earlier one may have), and the previous rows of derived tables whose definition changed ({@code NAME_old}).
     */
    private List<String> tablesWritten(Connection connection) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        tables.all().forEach(table -> names.add(table.name()));
        SessionTables.ALL.forEach(table -> names.add(table.name()));
        for (DerivedTable derived : tables.derived()) {
            names.add(derived.name() + "_old");
        }
        List<String> present = new ArrayList<>();
        try (PreparedStatement exists = connection.prepareStatement("select to_regclass(?) is not null")) {
            for (String name : names) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        present.add(name);
                    }
                }
            }
        }
        return present;
    }

    /** Deletes the rows of {@code participant} in {@code study}, or of the whole study when it is null. */
    private static long delete(Connection connection, String table, String study, String participant)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from " + table
                + " where study = ?" + (participant == null ? "" : " and participant = ?"))) {
            delete.setString(1, study);
            if (participant != null) {
                delete.setString(2, participant);
            }
            return delete.executeUpdate();
        }
    }

    /** The withdrawal of a participant, or null if they did not withdraw. */
    private static Withdrawal find(Connection connection, String study, String participant) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select w.withdrawn_at, w.withdrawn_by, w.reason, "
                + "(select a.deleted::text from withdrawal_audit a where a.study = w.study and a.participant = "
                + "w.participant and a.action = 'withdraw' order by a.id limit 1) from participant_withdrawal w "
                + "where w.study = ? and w.participant = ?")) {
            query.setString(1, study);
            query.setString(2, participant);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? new Withdrawal(study, participant, rs.getTimestamp(1).toInstant(), rs.getString(2),
                        rs.getString(3), counts(rs.getString(4))) : null;
            }
        }
    }

    /** The audit trail, newest first, optionally of one study: codes, who, when and counts, no data. */
    public List<Withdrawal> audit(String study, int limit) {
        List<Withdrawal> trail = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select study, participant, at, actor, reason, "
                        + "deleted::text from withdrawal_audit where (?::text is null or study = ?) "
                        + "order by id desc limit ?")) {
            query.setString(1, study);
            query.setString(2, study);
            query.setInt(3, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    trail.add(new Withdrawal(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getString(4), rs.getString(5), counts(rs.getString(6))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the withdrawal audit: " + e.getMessage(), e);
        }
        return trail;
    }

    private static String json(Map<String, Long> counts) {
        try {
            return JSON.writeValueAsString(counts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> counts(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            Map<String, Number> read = JSON.readValue(json, LinkedHashMap.class);
            Map<String, Long> counts = new LinkedHashMap<>();
            read.forEach((table, n) -> counts.put(table, n.longValue()));
            return counts;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
