package io.useractions.processor.sessions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.useractions.model.trial.SessionAction;
import io.useractions.model.trial.SessionKey;
import io.useractions.model.trial.SessionSummary;
import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialCodec;
import io.useractions.model.trial.TrialMarkers;
import io.useractions.model.trial.TrialSegmenter;

/**
 * What the processor keeps of one session between its records: the running trial and the summary so
 * far, the time its last record arrived, where its last action is in the raw topic, and the actions held
 * past a gap in the seq numbers. Stored as bytes in the session state store; {@link #bytes()} and
 * {@link #read} convert.
 *
 * <p>Actions are fed to the trials and the summary in seq order. One that comes after a gap (the batch
 * before it is still in flight, or lost) is held until the gap fills or until {@link #releaseHeld} says it
 * waited long enough; then the held actions go on in seq order and the gap counts as lost.
 */
final class SessionLedger {
    /** Format 1 had no held actions and kept the time the last record was taken in; it is still read. */
    private static final byte FORMAT = 2;
    /** The seq the logger gives a session's first action; a first action above it waits for those before. */
    static final long FIRST_SEQ = 1;

    private final SessionKey session;
    private final SessionSummary.Builder summary;
    /** Set once, right after construction: it tells this ledger about the trials it ends. */
    private TrialSegmenter trials;
    private final List<Ended> ended = new ArrayList<>();
    private long lastReceivedAt;
    private Provenance last;
    /** Actions past a gap, by seq, with where they are and when their record was received. */
    private final TreeMap<Long, Held> held = new TreeMap<>();

    private record Held(SessionAction action, Provenance at, long receivedAt) {
    }

    private SessionLedger(SessionKey session, SessionSummary.Builder summary, long lastReceivedAt, Provenance last) {
        this.session = session;
        this.summary = summary;
        this.lastReceivedAt = lastReceivedAt;
        this.last = last;
    }

    static SessionLedger start(SessionKey session, TrialMarkers markers) {
        SessionLedger ledger = new SessionLedger(session, new SessionSummary.Builder(session, markers), 0, null);
        ledger.trials = new TrialSegmenter(markers, ledger::ended);
        ledger.trials.startSession(session);
        return ledger;
    }

    /** A trial that ended, and where the action that ended it is (or the last action, when time ended it). */
    record Ended(Trial trial, Provenance at) {
    }

    private void ended(Trial trial) {
        ended.add(new Ended(trial, last));
        summary.trialEnded(trial);
    }

    SessionKey session() {
        return session;
    }

    long lastReceivedAt() {
        return lastReceivedAt;
    }

    Provenance last() {
        return last;
    }

    boolean inTrial() {
        return trials.inTrial();
    }

    /**
     * Ends the running trial as incomplete when the session's previous record arrived more than
     * {@code timeoutMs} before {@code receivedAt}: a participant who came back much later starts afresh.
     */
    void arrived(long receivedAt, long timeoutMs) {
        if (lastReceivedAt > 0 && receivedAt - lastReceivedAt > timeoutMs) {
            trials.endRunningTrial();
        }
        lastReceivedAt = Math.max(lastReceivedAt, receivedAt);
    }

    /**
     * Adds an action of a record received at {@code receivedAt}. The next one in seq order goes on at once,
     * with the held actions it lets through; one after a gap is held; one whose seq was already taken (resent,
     * or later than the window) is counted as late and left out.
     */
    void add(SessionAction action, Provenance at, long receivedAt) {
        long seq = action.seq();
        if (!summary.inOrder(seq) || held.containsKey(seq)) {
            summary.late();
        } else if (seq == next() || summary.actions() == 0 && seq < FIRST_SEQ) {
            feed(action, at);
            while (!held.isEmpty() && held.firstKey() == next()) {
                Held h = held.pollFirstEntry().getValue();
                feed(h.action(), h.at());
            }
        } else {
            held.put(seq, new Held(action, at, receivedAt));
        }
    }

    /** The seq that follows the actions fed so far. */
    private long next() {
        return summary.actions() == 0 ? FIRST_SEQ : summary.lastSeq() + 1;
    }

    private void feed(SessionAction action, Provenance at) {
        summary.add(action);
        last = at;
        trials.accept(action);
    }

    /** When the record of the oldest held action was received; {@link Long#MAX_VALUE} when none is held. */
    long heldSince() {
        long since = Long.MAX_VALUE;
        for (Held h : held.values()) {
            since = Math.min(since, h.receivedAt());
        }
        return since;
    }

    /**
     * Gives up waiting for the gaps when an action has been held since before {@code receivedBefore}: the held
     * actions go on in seq order, and the seq numbers still missing count as lost.
     */
    void releaseHeld(long receivedBefore) {
        if (heldSince() < receivedBefore) {
            for (Held h : held.values()) {
                feed(h.action(), h.at());
            }
            held.clear();
        }
    }

    /** Ends the running trial as incomplete, as the end of the session would. */
    void endTrial() {
        trials.endRunningTrial();
    }

    /** The trials that ended since the last call, in order. */
    List<Ended> takeEnded() {
        List<Ended> taken = List.copyOf(ended);
        ended.clear();
        return taken;
    }

    SessionSummary summary() {
        return summary.build();
    }

    boolean hasActions() {
        return summary.actions() > 0;
    }

    byte[] bytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT);
            TrialCodec.writeString(out, session.study());
            TrialCodec.writeString(out, session.participant());
            TrialCodec.writeString(out, session.sessionId());
            TrialCodec.writeString(out, session.condition());
            out.writeLong(lastReceivedAt);
            writeProvenance(out, last);
            summary.save(out);
            trials.save(out);
            out.writeInt(held.size());
            for (Held h : held.values()) {
                TrialCodec.write(out, h.action());
                writeProvenance(out, h.at());
                out.writeLong(h.receivedAt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    static SessionLedger read(byte[] bytes, TrialMarkers markers) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT && format != 1) {
                throw new IllegalStateException("session state of format " + format + ", this processor reads 1 and "
                        + FORMAT);
            }
            SessionKey session = new SessionKey(TrialCodec.readString(in), TrialCodec.readString(in),
                    TrialCodec.readString(in), TrialCodec.readString(in));
            long lastReceivedAt = in.readLong();
            if (format == 1) {
                in.readLong(); // when the last record was taken in
            }
            Provenance last = readProvenance(in);
            SessionSummary.Builder summary = SessionSummary.Builder.restore(session, markers, in);
            SessionLedger ledger = new SessionLedger(session, summary, lastReceivedAt, last);
            ledger.trials = TrialSegmenter.restore(session, in, markers, ledger::ended);
            if (format == FORMAT) {
                for (int i = in.readInt(); i > 0; i--) {
                    SessionAction action = TrialCodec.readAction(in);
                    ledger.held.put(action.seq(), new Held(action, readProvenance(in), in.readLong()));
                }
            }
            return ledger;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeProvenance(DataOutputStream out, Provenance at) throws IOException {
        out.writeBoolean(at != null);
        if (at != null) {
            out.writeInt(at.partition());
            out.writeLong(at.offset());
            out.writeInt(at.index());
        }
    }

    private static Provenance readProvenance(DataInputStream in) throws IOException {
        return in.readBoolean() ? new Provenance(in.readInt(), in.readLong(), in.readInt()) : null;
    }
}
