package io.useractions.processor.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.useractions.model.Action;
import io.useractions.model.RawRecord;
import io.useractions.model.trial.PointerSample;
import io.useractions.model.trial.SessionAction;
import io.useractions.model.trial.SessionKey;
import io.useractions.model.trial.TrialMarkers;
import io.useractions.processor.projection.Clocks;
import io.useractions.processor.projection.ProjectedTable;

/**
 * Keeps the trial and session_summary tables from the raw records of one partition, fed in offset
 * order, with one {@link SessionLedger} per session in a {@link Store}: the processor's Kafka Streams
 * state store (exactly once, changelogged) or, in a replay, a map. A trial's row is emitted when it ends;
 * a session's row by {@link #flush} for the sessions that changed since the last flush, and for every
 * stored session on the first flush (a task that moved or restarted cannot know which of its restored
 * sessions changed after their last row).
 *
 * <p>The records' contents decide the rows. A session's actions are taken in seq order: those after a gap
 * wait for the batch in between (a request still in flight reaches the ingest after a later one) up to the
 * {@link Windows#reorder reorder window}, or while at most four of the session's records come in, then go
 * on with the gap counted as lost. A trial still running
 * when its session's next record was received more than the trial timeout after the one before ends as
 * incomplete first, and a session back after the retention starts afresh (its trials counted from 1
 * again). A session that sends nothing more is closed by {@link #closeIdle}: the live path calls it on the
 * clock and takes records in at the time it processes them, a replay calls it once at the end and takes
 * records in at their receive time, so both end the same trials of sessions that went quiet long ago.
 */
public final class Sessions {

    /**
     * The times that decide when a session's rows are written, all on the records' receive-time clock.
     *
     * @param reorder      how long actions after a seq gap wait for the ones missing; never longer than the
     *                     trial timeout, so that a trial that times out has every action that came before
     * @param trialTimeout a trial still running when its session sent nothing for this long ends as incomplete
     * @param retention    a session idle for this long is forgotten
     */
    public record Windows(Duration reorder, Duration trialTimeout, Duration retention) {
    }

    /** Where the ledgers live: the state store, or a map. */
    public interface Store {
        byte[] get(String key);

        void put(String key, byte[] ledger);

        void delete(String key);

        /** Calls {@code each} for every stored ledger; it may not change the store. */
        void forEach(BiConsumer<String, byte[]> each);

        /** A map's: for tests and the replay's sessions. */
        static Store of(Map<String, byte[]> map) {
            return of(map::get, map::put, map::remove, map::forEach);
        }

        /** The store these four operations make: a map's, or the processor's state store's. */
        static Store of(Function<String, byte[]> get, BiConsumer<String, byte[]> put, Consumer<String> delete,
                Consumer<BiConsumer<String, byte[]>> forEach) {
            return new Store() {
                @Override
                public byte[] get(String key) {
                    return get.apply(key);
                }

                @Override
                public void put(String key, byte[] ledger) {
                    put.accept(key, ledger);
                }

                @Override
                public void delete(String key) {
                    delete.accept(key);
                }

                @Override
                public void forEach(BiConsumer<String, byte[]> each) {
                    forEach.accept(each);
                }
            };
        }
    }

    /** Receives the rows: the session id (the Kafka key of the session's records), the table and the COPY line. */
    @FunctionalInterface
    public interface Rows {
        void emit(String sessionId, ProjectedTable table, byte[] line);
    }

    private final TrialMarkers markers;
    private final long reorderMs;
    private final long trialTimeoutMs;
    private final long retentionMs;
    private final Store store;
    private final Rows out;
    /** Sessions whose summary changed since the last flush, by store key. */
    private final Set<String> changed = new LinkedHashSet<>();
    /** What {@link #closeIdle} looks at of every stored session, kept beside the store so as not to read every ledger. */
    private final Map<String, Watch> watched = new HashMap<>();
    /** Whether {@link #watched} and {@link #changed} hold every stored session yet; the first flush or idle check reads them all. */
    private boolean scanned;
    /**
     * How long after its receive time the last record was taken in: the processor's lag behind the ingest.
     * Idleness is judged on the records' own clock, {@code now} less this lag, so a processor working
     * through a backlog (after an outage, say) does not end a trial whose next records are still in it.
     */
    private long lagMs = UNKNOWN;
    /** The first {@link #closeIdle} without a record taken in yet: it waits a trial timeout for a backlog to show. */
    private long firstIdleCheck = UNKNOWN;
    private static final long UNKNOWN = Long.MIN_VALUE;

    /** When a session's record was last received, whether it is in a trial, and since when it holds actions back. */
    private record Watch(long lastReceivedAt, boolean inTrial, long heldSince) {
        static Watch of(SessionLedger ledger) {
            return new Watch(ledger.lastReceivedAt(), ledger.inTrial(), ledger.heldSince());
        }
    }

    public Sessions(TrialMarkers markers, Windows windows, Store store, Rows out) {
        this.markers = markers;
        this.reorderMs = Math.min(windows.reorder().toMillis(), windows.trialTimeout().toMillis());
        this.trialTimeoutMs = windows.trialTimeout().toMillis();
        this.retentionMs = windows.retention().toMillis();
        this.store = store;
        this.out = out;
    }

    /**
     * Takes in a raw record at {@code partition}, {@code offset} at time {@code takenAt} (epoch ms, the
     * clock {@link #closeIdle} is called with); emits the trials it ends.
     */
    public void accept(RawRecord raw, int partition, long offset, long takenAt) {
        String key = key(raw.study(), raw.participant(), raw.session());
        byte[] stored = store.get(key);
        SessionLedger ledger = stored == null ? null : SessionLedger.read(stored, markers);
        if (ledger == null || raw.receivedAt() - ledger.lastReceivedAt() > retentionMs) {
            // New, or back after the retention: forgotten then, whether or not the clock came first.
            ledger = SessionLedger.start(new SessionKey(raw.study(), raw.participant(), raw.session(),
                    raw.condition()), markers);
        }
        lagMs = Math.max(0, takenAt - raw.receivedAt());
        ledger.releaseHeld(raw.receivedAt() - reorderMs);
        emitEnded(ledger);
        ledger.arrived(raw.receivedAt(), trialTimeoutMs);
        emitEnded(ledger);
        List<Action> actions = raw.actions();
        for (int i = 0; i < actions.size(); i++) {
            ledger.add(sessionAction(raw, actions.get(i)), new Provenance(partition, offset, i), raw.receivedAt());
            emitEnded(ledger);
        }
        ledger.recordTaken();
        put(key, ledger);
    }

    private void put(String key, SessionLedger ledger) {
        store.put(key, ledger.bytes());
        watched.put(key, Watch.of(ledger));
        changed.add(key);
    }

    /** Reads every stored session once: after a restart or a move, each gets its row again and is watched. */
    private void scan() {
        if (!scanned) {
            scanned = true;
            store.forEach((key, bytes) -> {
                watched.put(key, Watch.of(SessionLedger.read(bytes, markers)));
                changed.add(key);
            });
        }
    }

    /**
     * By the records' clock ({@code now} less the lag of the last record taken in): lets the actions held
     * past a gap for longer than the reorder window go on, ends the running trials of sessions whose last
     * record was received more than the trial timeout before, and forgets sessions idle for longer than the
     * retention (after their last row). Before any record was taken in, nothing is judged for one trial
     * timeout after the first call: a restarted processor first sees whether a backlog is waiting.
     */
    public void closeIdle(Instant now) {
        scan();
        long at = now.toEpochMilli();
        if (lagMs == UNKNOWN) {
            firstIdleCheck = firstIdleCheck == UNKNOWN ? at : firstIdleCheck;
            if (at - firstIdleCheck <= trialTimeoutMs) {
                return;
            }
        }
        long recordsNow = at - Math.max(lagMs, 0);
        List<String> due = new ArrayList<>();
        List<String> forgotten = new ArrayList<>();
        watched.forEach((key, watch) -> {
            if (recordsNow - watch.heldSince() > reorderMs
                    || watch.inTrial() && recordsNow - watch.lastReceivedAt() > trialTimeoutMs) {
                due.add(key);
            }
            if (recordsNow - watch.lastReceivedAt() > retentionMs) {
                forgotten.add(key);
            }
        });
        for (String key : due) {
            SessionLedger ledger = SessionLedger.read(store.get(key), markers);
            ledger.releaseHeld(recordsNow - reorderMs);
            emitEnded(ledger);
            if (recordsNow - ledger.lastReceivedAt() > trialTimeoutMs) {
                ledger.endTrial();
                emitEnded(ledger);
            }
            put(key, ledger);
        }
        if (!forgotten.isEmpty()) {
            flush();
            forgotten.forEach(key -> {
                store.delete(key);
                watched.remove(key);
            });
        }
    }

    /**
     * Removes the sessions of the participants {@code withdrawn} accepts (study, participant) without
     * emitting anything; returns how many were removed.
     */
    public int forget(BiPredicate<String, String> withdrawn) {
        List<String> gone = new ArrayList<>();
        store.forEach((key, bytes) -> {
            SessionKey session = SessionLedger.read(bytes, markers).session();
            if (withdrawn.test(session.study(), session.participant())) {
                gone.add(key);
            }
        });
        for (String key : gone) {
            store.delete(key);
            watched.remove(key);
            changed.remove(key);
        }
        return gone.size();
    }

    /** Emits the summary row of every session that changed since the last flush (of every one, the first time). */
    public void flush() {
        scan();
        for (String key : changed) {
            byte[] stored = store.get(key);
            if (stored == null) {
                continue;
            }
            SessionLedger ledger = SessionLedger.read(stored, markers);
            if (ledger.hasActions()) {
                out.emit(ledger.session().sessionId(), SessionTables.SESSION_SUMMARY,
                        SessionTables.summaryRow(ledger.summary(), ledger.inTrial(), ledger.last()));
            }
        }
        changed.clear();
    }

    private void emitEnded(SessionLedger ledger) {
        for (SessionLedger.Ended ended : ledger.takeEnded()) {
            out.emit(ledger.session().sessionId(), SessionTables.TRIAL, SessionTables.trialRow(ended.trial(), ended.at()));
        }
    }

    /** The action as trial segmentation reads it from the rows the sink writes for it. */
    SessionAction sessionAction(RawRecord raw, Action a) {
        Instant client = Instant.ofEpochMilli(a.t());
        Instant server = Instant.ofEpochMilli(Clocks.serverTimeMillis(raw, a));
        boolean marker = a.type().equals(markers.start()) || a.type().equals(markers.end());
        String markerTrial = marker ? dataTrial(a) : null;
        PointerSample pointer = a.hasPointer()
                ? new PointerSample(a.seq(), a.tMono(), client, a.x(), a.y(), a.pageX(), a.pageY(), a.screenX(),
                        a.screenY())
                : null;
        return new SessionAction(a.seq(), a.type(), client, server, a.tMono(), markerTrial, Clocks.flag(raw, a),
                pointer);
    }

    /** {@code data.trial} as PostgreSQL's {@code data ->> 'trial'} gives it; null when absent or JSON null. */
    static String dataTrial(Action a) {
        JsonNode trial = a.data() == null ? null : a.data().get("trial");
        if (trial == null || trial.isNull()) {
            return null;
        }
        return trial.isValueNode() ? trial.asText() : trial.toString();
    }

    private static String key(String study, String participant, String session) {
        return study + '\u001f' + participant + '\u001f' + session;
    }
}
