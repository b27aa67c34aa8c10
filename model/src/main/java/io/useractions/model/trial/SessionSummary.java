package io.useractions.model.trial;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;

/**
 * What a session's actions add up to, fed in seq order: how many, the seq numbers missing between
 * them, the first and last times by both clocks, pointer samples, flagged clocks and trials. Computed
 * the same way from a session's stored rows (the research library) and from the stream (the processor,
 * which also counts the actions that arrived too late to be fed in seq order).
 *
 * @param lostActions      seq numbers missing between the first and the last action
 * @param lateActions      actions whose seq the stream had already passed when they arrived (a second copy,
 *                         or later than its reorder window); it leaves them out of every other count, rows
 *                         have none
 * @param trials           start markers seen
 * @param trialsCompleted  trials that reached their end marker
 */
public record SessionSummary(SessionKey session, long actions, long firstSeq, long lastSeq, long lostActions,
                             long lateActions, Instant firstClientTime, Instant lastClientTime,
                             Instant firstServerTime, Instant lastServerTime, long pointerSamples,
                             long flaggedClocks, long trials, long trialsCompleted) {

    /** Adds up a session's actions in seq order; one trial's end is told by {@link #trialEnded}. */
    public static final class Builder {
        private final SessionKey session;
        private final TrialMarkers markers;
        private long actions;
        private long firstSeq = -1;
        private long lastSeq = -1;
        private long lost;
        private long late;
        private Instant firstClient;
        private Instant lastClient;
        private Instant firstServer;
        private Instant lastServer;
        private long pointerSamples;
        private long flaggedClocks;
        private long trials;
        private long trialsCompleted;

        public Builder(SessionKey session, TrialMarkers markers) {
            this.session = session;
            this.markers = markers;
        }

        /** Whether an action with this seq comes after every action added so far. */
        public boolean inOrder(long seq) {
            return actions == 0 || seq > lastSeq;
        }

        /** Adds the next action in seq order. */
        public void add(SessionAction action) {
            if (!inOrder(action.seq())) {
                throw new IllegalArgumentException("action " + action.seq() + " after " + lastSeq);
            }
            if (actions == 0) {
                firstSeq = action.seq();
                firstClient = action.clientTime();
                firstServer = action.serverTime();
            } else {
                lost += action.seq() - lastSeq - 1;
            }
            actions++;
            lastSeq = action.seq();
            lastClient = action.clientTime();
            lastServer = action.serverTime();
            pointerSamples += action.pointer() != null ? 1 : 0;
            flaggedClocks += action.clockFlag() != null ? 1 : 0;
            trials += action.type().equals(markers.start()) ? 1 : 0;
        }

        /** Counts an action that came after a higher seq and was left out. */
        public void late() {
            late++;
        }

        /** Counts a trial the segmenter ended. */
        public void trialEnded(Trial trial) {
            trialsCompleted += trial.incomplete() ? 0 : 1;
        }

        public long actions() {
            return actions;
        }

        /** The seq of the last action added; -1 before the first. */
        public long lastSeq() {
            return lastSeq;
        }

        public SessionSummary build() {
            return new SessionSummary(session, actions, firstSeq, lastSeq, lost, late, firstClient, lastClient,
                    firstServer, lastServer, pointerSamples, flaggedClocks, trials, trialsCompleted);
        }

        public void save(DataOutput out) throws IOException {
            out.writeLong(actions);
            out.writeLong(firstSeq);
            out.writeLong(lastSeq);
            out.writeLong(lost);
            out.writeLong(late);
            if (actions > 0) {
                TrialCodec.writeInstant(out, firstClient);
                TrialCodec.writeInstant(out, lastClient);
                TrialCodec.writeInstant(out, firstServer);
                TrialCodec.writeInstant(out, lastServer);
            }
            out.writeLong(pointerSamples);
            out.writeLong(flaggedClocks);
            out.writeLong(trials);
            out.writeLong(trialsCompleted);
        }

        public static Builder restore(SessionKey session, TrialMarkers markers, DataInput in) throws IOException {
            Builder b = new Builder(session, markers);
            b.actions = in.readLong();
            b.firstSeq = in.readLong();
            b.lastSeq = in.readLong();
            b.lost = in.readLong();
            b.late = in.readLong();
            if (b.actions > 0) {
                b.firstClient = TrialCodec.readInstant(in);
                b.lastClient = TrialCodec.readInstant(in);
                b.firstServer = TrialCodec.readInstant(in);
                b.lastServer = TrialCodec.readInstant(in);
            }
            b.pointerSamples = in.readLong();
            b.flaggedClocks = in.readLong();
            b.trials = in.readLong();
            b.trialsCompleted = in.readLong();
            return b;
        }
    }
}
