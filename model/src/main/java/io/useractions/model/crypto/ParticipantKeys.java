package io.useractions.model.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import io.useractions.model.Jdbc;

/**
 * The participants' data keys in PostgreSQL ({@code participant_key}, wrapped by the master key), with a
 * cache of unwrapped keys that keeps each for at most the time to live from when it was read: a withdrawal
 * deletes the key rows, and after the TTL no reader here can open the participant's records any more
 * (docs/withdrawal.md). Keys found missing are remembered as missing for the TTL too, so the records of a
 * withdrawn participant do not each cost a query. Thread-safe; the methods block on the database on a miss,
 * so they are never called on an event loop.
 */
public final class ParticipantKeys implements SealedRecords.Keys {
    /** The id of the master key in configuration; a rotation of the master key would add the next. */
    public static final int MASTER_KEY_ID = 1;
    /** The key id a participant's first key gets; a rotation would add the next. */
    public static final int FIRST_KEY_ID = 1;
    /** Key creation waits at most this long for a withdrawal in progress, which holds the lock it needs. */
    private static final String LOCK_TIMEOUT = "5s";
    private static final int MAX_CACHED = 200_000;

    private final DataSource dataSource;
    private final KeyWrapper wrapper;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(DataKey key, long expiresAt) {
    }

    public ParticipantKeys(DataSource dataSource, KeyWrapper wrapper, Duration ttl) {
        this(dataSource, wrapper, ttl, System::nanoTime);
    }

    ParticipantKeys(DataSource dataSource, KeyWrapper wrapper, Duration ttl, LongSupplier clock) {
        this.dataSource = dataSource;
        this.wrapper = wrapper;
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    @Override
    public DataKey find(String study, String participant, int keyId) {
        return cached(study, participant, keyId, true, () -> read(study, participant, keyId));
    }

    @Override
    public DataKey current(String study, String participant) {
        return cached(study, participant, 0, true, () -> read(study, participant, 0));
    }

    /**
     * The participant's newest key, created with their first batch; null when they withdrew (or their study
     * was deleted), in which case none is created. The insert takes {@code participant_withdrawal} in SHARE
     * mode, as the sink does, so it either commits before a withdrawal of theirs (which then deletes the
     * key) or waits for it and sees it: no key outlives a withdrawal.
     */
    public DataKey currentOrCreate(String study, String participant) {
        // A key remembered missing (by current(), or for a withdrawal) is looked for again: it may be made now.
        return cached(study, participant, 0, false, () -> {
            DataKey found = read(study, participant, 0);
            return found != null ? found : create(study, participant);
        });
    }

    /**
     * The participant's newest key if the cache holds it (null when it holds that they have none), without
     * touching the database; {@code notCached} when the cache does not know.
     */
    public DataKey cachedCurrent(String study, String participant, DataKey notCached) {
        Cached hit = cache.get(study + '\u001f' + participant + '\u001f' + 0);
        return hit != null && clock.getAsLong() - hit.expiresAt() < 0 ? hit.key() : notCached;
    }

    /** Forgets every cached key, as if the TTL had passed (tests, and a reader told of a withdrawal). */
    public void clear() {
        cache.clear();
    }

    private interface Load {
        DataKey load() throws SQLException;
    }

    private DataKey cached(String study, String participant, int keyId, boolean trustMissing, Load load) {
        String name = study + '\u001f' + participant + '\u001f' + keyId;
        long now = clock.getAsLong();
        Cached hit = cache.get(name);
        if (hit != null && now - hit.expiresAt() < 0 && (hit.key() != null || trustMissing)) {
            return hit.key();
        }
        DataKey key;
        try {
            key = load.load();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the data key of " + study + "/" + participant + ": "
                    + e.getMessage(), e);
        }
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(cached -> now - cached.expiresAt() >= 0);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(name, new Cached(key, now + ttlNanos));
        if (keyId == 0 && key != null) {
            cache.put(study + '\u001f' + participant + '\u001f' + key.id(), new Cached(key, now + ttlNanos));
        } else if (key != null) {
            // A key remembered missing as the newest exists now: the ingest made it since.
            String newest = study + '\u001f' + participant + '\u001f' + 0;
            Cached missing = cache.get(newest);
            if (missing != null && missing.key() == null) {
                cache.put(newest, new Cached(key, now + ttlNanos));
            }
        }
        return key;
    }

    /** Key {@code keyId}, or the newest when it is 0; null when there is none. */
    private DataKey read(String study, String participant, int keyId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("select key_id, wrapped_key from participant_key "
                        + "where study = ? and participant = ? and (? = 0 or key_id = ?) order by key_id desc limit 1")) {
            try (ResultSet rs = Jdbc.bind(query, study, participant, keyId, keyId).executeQuery()) {
                return rs.next() ? wrapper.unwrap(rs.getBytes(2), rs.getInt(1), study, participant) : null;
            }
        }
    }

    private DataKey create(String study, String participant) throws SQLException {
        DataKey fresh = DataKey.generate(FIRST_KEY_ID);
        byte[] wrapped = wrapper.wrap(fresh, study, participant);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            boolean readOnly = c.isReadOnly();
            // The ingest's pool also serves its read-only reads of the studies.
            c.setReadOnly(false);
            try {
                Jdbc.inTransaction(c, tx -> {
                    Jdbc.execute(tx, "set local lock_timeout = '" + LOCK_TIMEOUT + "'",
                            "lock table participant_withdrawal in share mode");
                    return Jdbc.update(tx, "insert into participant_key (study, participant, key_id, wrapped_key) "
                            + "select ?, ?, ?, ? where not exists (select 1 from participant_withdrawal "
                            + "where study = ? and participant in (?, '')) on conflict do nothing",
                            study, participant, FIRST_KEY_ID, wrapped, study, participant);
                });
            } finally {
                c.setAutoCommit(autoCommit);
                c.setReadOnly(readOnly);
            }
        }
        // Another instance may have created theirs first: the stored one is the key.
        return read(study, participant, 0);
    }
}
