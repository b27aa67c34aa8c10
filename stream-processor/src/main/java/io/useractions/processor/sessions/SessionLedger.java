package io.useractions.processor.sessions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.useractions.model.trial.SessionAction;
import io.useractions.model.trial.SessionKey;
import io.useractions.model.trial.SessionSummary;
import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialMarkers;
import io.useractions.model.trial.TrialSegmenter;

/**
 * What the processor keeps of one session between its records: the running trial and the summary so
 * far, the time its last record arrived and where its last action is in the raw topic. Stored as bytes
 * in the session state store; {@link #bytes()} and {@link #read} convert.
 */
final class SessionLedger {
    private static final byte FORMAT = 1;

    private final SessionKey session;
    private final SessionSummary.Builder summary;
    /** Set once, right after construction: it tells this ledger about the trials it ends. */
    private TrialSegmenter trials;
    private final List<Trial> ended = new ArrayList<>();
    private long lastReceivedAt;
    /** When its last record was taken in (processing time live, receive time in a replay); kept for diagnosis. */
    private long lastTakenAt;
    private Provenance last;

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

    private void ended(Trial trial) {
        ended.add(trial);
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
    void arrived(long receivedAt, long takenAt, long timeoutMs) {
        if (lastReceivedAt > 0 && receivedAt - lastReceivedAt > timeoutMs) {
            trials.endRunningTrial();
        }
        lastReceivedAt = Math.max(lastReceivedAt, receivedAt);
        lastTakenAt = Math.max(lastTakenAt, takenAt);
    }

    /** Adds the next action; one with a seq not above the last one's is counted as late and left out. */
    void add(SessionAction action, Provenance at) {
        if (!summary.inOrder(action.seq())) {
            summary.late();
            return;
        }
        summary.add(action);
        last = at;
        trials.accept(action);
    }

    /** Ends the running trial as incomplete, as the end of the session would. */
    void endTrial() {
        trials.endRunningTrial();
    }

    /** The trials that ended since the last call, in order. */
    List<Trial> takeEnded() {
        List<Trial> taken = List.copyOf(ended);
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
            writeNullable(out, session.study());
            writeNullable(out, session.participant());
            writeNullable(out, session.sessionId());
            writeNullable(out, session.condition());
            out.writeLong(lastReceivedAt);
            out.writeLong(lastTakenAt);
            out.writeBoolean(last != null);
            if (last != null) {
                out.writeInt(last.partition());
                out.writeLong(last.offset());
                out.writeInt(last.index());
            }
            summary.save(out);
            trials.save(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    static SessionLedger read(byte[] bytes, TrialMarkers markers) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("session state of format " + format + ", this processor reads " + FORMAT);
            }
            SessionKey session = new SessionKey(readNullable(in), readNullable(in), readNullable(in), readNullable(in));
            long lastReceivedAt = in.readLong();
            long lastTakenAt = in.readLong();
            Provenance last = in.readBoolean() ? new Provenance(in.readInt(), in.readLong(), in.readInt()) : null;
            SessionSummary.Builder summary = SessionSummary.Builder.restore(session, markers, in);
            SessionLedger ledger = new SessionLedger(session, summary, lastReceivedAt, last);
            ledger.lastTakenAt = lastTakenAt;
            ledger.trials = TrialSegmenter.restore(session, in, markers, ledger::ended);
            return ledger;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
