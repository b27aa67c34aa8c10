package io.useractions.processor.studies;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.useractions.model.Jdbc;
import io.useractions.model.WriteKey;
import io.useractions.processor.studies.StudyViews.AuditEntry;
import io.useractions.processor.studies.StudyViews.Key;
import io.useractions.processor.studies.StudyViews.Study;
import io.useractions.processor.withdrawal.WithdrawalService;

/**
 * The studies in PostgreSQL ({@code V10__studies.sql}): each change in one transaction with its audit
 * entry; a study's row is locked while it changes, so concurrent changes of one study queue up.
 */
@ApplicationScoped
public class StudyStore {
    /** When a study's data is due for deletion: closed, with a retention, that long after its last close. */
    private static final String EXPIRED = "select s.id from study s where s.state = 'closed' and s.retention is not null"
            + " and (select max(a.at) from study_audit a where a.study = s.id and a.action = 'close') + s.retention"
            + " <= now()";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final WithdrawalService withdrawalService;

    public StudyStore(DataSource dataSource, ObjectMapper json, WithdrawalService withdrawalService) {
        this.dataSource = dataSource;
        this.json = json;
        this.withdrawalService = withdrawalService;
    }

    private <T> T transaction(Jdbc.Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return Jdbc.inTransaction(connection, work);
        } catch (SQLException e) {
            throw new IllegalStateException("study store: " + e.getMessage(), e);
        }
    }

    public StudyViews.Issued register(String id, List<String> origins, Duration retention, String actor) {
        String key = WriteKey.generate();
        Instant now = Instant.now();
        Study study = transaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "ual-study:" + id);
                lock.execute();
            }
            String state = state(c, id, false);
            if (state != null) {
                throw new StudyException(409, "study_exists", "id", "study '" + id + "' is already registered"
                        + (state.equals("deleted") ? " and was deleted: the raw topic still holds its records, so its "
                                + "id is not used again" : ""));
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into study (id, origins, retention, created_at, updated_at) values (?, ?, ?::interval, ?, ?)")) {
                insert.setString(1, id);
                insert.setArray(2, c.createArrayOf("text", origins.toArray()));
                insert.setString(3, retention == null ? null : retention.getSeconds() + " seconds");
                insert.setTimestamp(4, Timestamp.from(now));
                insert.setTimestamp(5, Timestamp.from(now));
                insert.executeUpdate();
            }
            insertKey(c, id, new WriteKey(WriteKey.hash(key), now, null));
            ObjectNode detail = json.createObjectNode();
            detail.set("origins", json.valueToTree(origins));
            if (retention != null) {
                detail.put("retention", retention.toString());
            }
            audit(c, id, "register", actor, detail);
            return view(c, id, false);
        });
        return new StudyViews.Issued(study, key, null);
    }

    public List<Study> list() {
        return transaction(c -> {
            List<String> ids = new ArrayList<>();
            try (Statement statement = c.createStatement();
                    ResultSet rs = statement.executeQuery("select id from study order by id")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            List<Study> studies = new ArrayList<>(ids.size());
            for (String id : ids) {
                studies.add(view(c, id, false));
            }
            return studies;
        });
    }

    public Study show(String id) {
        return transaction(c -> {
            if (state(c, id, false) == null) {
                throw StudyException.unknown(id);
            }
            return view(c, id, true);
        });
    }

    /** Opens or closes a study; the same state again changes nothing and is not audited. */
    public Study setState(String id, String target, String actor) {
        return transaction(c -> {
            String state = changeable(c, id);
            if (!state.equals(target)) {
                try (PreparedStatement update = c.prepareStatement(
                        "update study set state = ?, updated_at = now() where id = ?")) {
                    update.setString(1, target);
                    update.setString(2, id);
                    update.executeUpdate();
                }
                audit(c, id, target.equals("closed") ? "close" : "reopen", actor, null);
            }
            return view(c, id, false);
        });
    }

    public Study origins(String id, List<String> origins, String actor) {
        return transaction(c -> {
            changeable(c, id);
            try (PreparedStatement update = c.prepareStatement(
                    "update study set origins = ?, updated_at = now() where id = ?")) {
                update.setArray(1, c.createArrayOf("text", origins.toArray()));
                update.setString(2, id);
                update.executeUpdate();
            }
            ObjectNode detail = json.createObjectNode();
            detail.set("origins", json.valueToTree(origins));
            audit(c, id, "origins", actor, detail);
            return view(c, id, false);
        });
    }

    /** A new key from now; every key still working keeps working until {@code overlap} from now, then stops. */
    public StudyViews.Issued rotate(String id, Duration overlap, String actor) {
        String key = WriteKey.generate();
        Instant now = Instant.now();
        Study study = transaction(c -> {
            changeable(c, id);
            for (WriteKey old : keys(c, id)) {
                WriteKey retired = old.rotatedOut(now, overlap);
                if (old.validAt(now) && retired != old) {
                    try (PreparedStatement update = c.prepareStatement(
                            "update study_key set valid_until = ? where study = ? and key_hash = ?")) {
                        update.setTimestamp(1, Timestamp.from(retired.validUntil()));
                        update.setString(2, id);
                        update.setString(3, old.hash());
                        update.executeUpdate();
                    }
                }
            }
            insertKey(c, id, new WriteKey(WriteKey.hash(key), now, null));
            ObjectNode detail = json.createObjectNode();
            detail.put("overlap", overlap.toString());
            detail.put("previous_keys_valid_until", now.plus(overlap).toString());
            audit(c, id, "rotate_key", actor, detail);
            return view(c, id, false);
        });
        return new StudyViews.Issued(study, key, now.plus(overlap));
    }

    /**
     * Marks the study deleted and, as the withdrawal of all its participants
     * ({@link WithdrawalService#withdrawStudy}), deletes its rows from every table in the same transaction;
     * returns the rows deleted per table. The sink's transactions hold the withdrawal lock, so the deletion
     * waits for those in flight and the later ones drop the study's rows: none is committed after the deletes.
     */
    public Map<String, Long> delete(String id, String actor) {
        return deleted(transaction(c -> {
            String state = state(c, id, true);
            if (state == null) {
                throw StudyException.unknown(id);
            }
            if (state.equals("deleted")) {
                throw new StudyException(409, "study_deleted", null, "study '" + id + "' is already deleted");
            }
            return deleteLocked(c, id, actor);
        }));
    }

    /** The closed studies whose retention has passed since they were (last) closed, in id order. */
    public List<String> expired() {
        return transaction(c -> {
            List<String> ids = new ArrayList<>();
            try (Statement statement = c.createStatement();
                    ResultSet rs = statement.executeQuery(EXPIRED + " order by s.id")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /**
     * Deletes the study as {@link #delete} does if, with its row locked, it is still closed and past its
     * retention; null (nothing changed) otherwise: reopened, retention changed, or deleted meanwhile.
     */
    public Map<String, Long> deleteIfExpired(String id, String actor) {
        return deleted(transaction(c -> {
            try (PreparedStatement query = c.prepareStatement(EXPIRED + " and s.id = ? for update of s")) {
                query.setString(1, id);
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                }
            }
            return deleteLocked(c, id, actor);
        }));
    }

    private Map<String, Long> deleteLocked(Connection c, String id, String actor) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "update study set state = 'deleted', updated_at = now() where id = ?")) {
            update.setString(1, id);
            update.executeUpdate();
        }
        Map<String, Long> deleted = withdrawalService.withdrawStudy(c, id, actor);
        ObjectNode detail = json.createObjectNode();
        detail.set("deleted_rows", json.valueToTree(deleted));
        audit(c, id, "delete", actor, detail);
        return deleted;
    }

    /** After a deletion committed: this processor drops the study's records at once, the others within their refresh. */
    private Map<String, Long> deleted(Map<String, Long> deleted) {
        if (deleted != null) {
            withdrawalService.refreshAfterCommit();
        }
        return deleted;
    }

    /** Sets or (null) clears the retention: how long after it was closed the study is deleted. */
    public Study retention(String id, Duration retention, String actor) {
        return transaction(c -> {
            changeable(c, id);
            try (PreparedStatement update = c.prepareStatement(
                    "update study set retention = ?::interval, updated_at = now() where id = ?")) {
                update.setString(1, retention == null ? null : retention.getSeconds() + " seconds");
                update.setString(2, id);
                update.executeUpdate();
            }
            ObjectNode detail = json.createObjectNode();
            detail.put("retention", retention == null ? null : retention.toString());
            audit(c, id, "retention", actor, detail);
            return view(c, id, false);
        });
    }

    /** The study's state, locking its row when {@code lock}; null when there is no such study. */
    private static String state(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("select state from study where id = ?"
                + (lock ? " for update" : ""))) {
            query.setString(1, id);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The state of a study that exists and is not deleted, its row locked. */
    private static String changeable(Connection c, String id) throws SQLException {
        String state = state(c, id, true);
        if (state == null) {
            throw StudyException.unknown(id);
        }
        if (state.equals("deleted")) {
            throw new StudyException(409, "study_deleted", null, "study '" + id + "' was deleted");
        }
        return state;
    }

    private static void insertKey(Connection c, String id, WriteKey key) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "insert into study_key (study, key_hash, valid_from, valid_until) values (?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, key.hash());
            insert.setTimestamp(3, Timestamp.from(key.validFrom()));
            insert.setTimestamp(4, key.validUntil() == null ? null : Timestamp.from(key.validUntil()));
            insert.executeUpdate();
        }
    }

    private static List<WriteKey> keys(Connection c, String id) throws SQLException {
        List<WriteKey> keys = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(
                "select key_hash, valid_from, valid_until from study_key where study = ? order by valid_from, key_hash")) {
            query.setString(1, id);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    keys.add(new WriteKey(rs.getString(1), instant(rs, 2), instant(rs, 3)));
                }
            }
        }
        return keys;
    }

    private void audit(Connection c, String id, String action, String actor, JsonNode detail) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "insert into study_audit (study, action, actor, detail) values (?, ?, ?, ?::jsonb)")) {
            insert.setString(1, id);
            insert.setString(2, action);
            insert.setString(3, actor);
            insert.setString(4, detail == null ? null : detail.toString());
            insert.executeUpdate();
        }
    }

    private Study view(Connection c, String id, boolean withAudit) throws SQLException {
        String state;
        List<String> origins;
        String retention;
        Instant created;
        Instant updated;
        try (PreparedStatement query = c.prepareStatement("select state, origins, extract(epoch from retention)::bigint,"
                + " created_at, updated_at from study where id = ?")) {
            query.setString(1, id);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw StudyException.unknown(id);
                }
                state = rs.getString(1);
                Array array = rs.getArray(2);
                origins = Arrays.asList((String[]) array.getArray());
                long seconds = rs.getLong(3);
                retention = rs.wasNull() ? null : Duration.ofSeconds(seconds).toString();
                created = instant(rs, 4);
                updated = instant(rs, 5);
            }
        }
        Instant now = Instant.now();
        List<Key> keys = keys(c, id).stream().map(k -> new Key(k.validFrom(), k.validUntil(), k.validAt(now))).toList();
        List<AuditEntry> audit = null;
        if (withAudit) {
            audit = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement(
                    "select action, actor, at, detail::text from study_audit where study = ? order by id")) {
                query.setString(1, id);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        String detail = rs.getString(4);
                        audit.add(new AuditEntry(rs.getString(1), rs.getString(2), instant(rs, 3),
                                detail == null ? null : readTree(detail)));
                    }
                }
            }
        }
        return new Study(id, state, origins, retention, created, updated, keys, audit);
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
