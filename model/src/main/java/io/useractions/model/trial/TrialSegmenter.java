package io.useractions.model.trial;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cuts the actions of sessions, fed in seq order, into trials. Holds only the running trial, so a whole
 * study streams through it: call {@link #startSession}, {@link #accept} each action, and
 * {@link #finish} at the end. A segmenter in the middle of a session can be saved and restored
 * ({@link #save}, {@link #restore}), so that a stream processor keeps it in a state store between records.
 */
public final class TrialSegmenter {

    private final TrialMarkers markers;
    private final Consumer<Trial> out;
    private final Map<Long, Integer> trialNumbersSeen = new HashMap<>();
    private SessionKey session;
    private SessionAction previous;
    private Running running;
    private int ordinal;

    public TrialSegmenter(TrialMarkers markers, Consumer<Trial> out) {
        this.markers = markers;
        this.out = out;
    }

    /** The trials of one session's actions, given in seq order. */
    public static List<Trial> segment(SessionKey session, List<SessionAction> actions, TrialMarkers markers) {
        List<Trial> trials = new ArrayList<>();
        TrialSegmenter segmenter = new TrialSegmenter(markers, trials::add);
        segmenter.startSession(session);
        actions.forEach(segmenter::accept);
        segmenter.finish();
        return trials;
    }

    /** Ends the previous session (closing its running trial as incomplete) and starts another. */
    public void startSession(SessionKey key) {
        finish();
        session = key;
    }

    public void accept(SessionAction action) {
        if (session == null) {
            throw new IllegalStateException("accept before startSession");
        }
        if (previous != null && action.seq() < previous.seq()) {
            throw new IllegalArgumentException("actions of session " + session.sessionId() + " out of seq order: "
                    + action.seq() + " after " + previous.seq());
        }
        previous = action;
        if (action.type().equals(markers.start())) {
            if (running != null) {
                emit(running.incomplete(action.seq()));
            }
            running = new Running(action, ++ordinal);
            return;
        }
        if (running == null) {
            return;
        }
        running.add(action);
        if (action.type().equals(markers.end())) {
            emit(running.complete(action));
            running = null;
        } else if (action.type().equals(markers.miss())) {
            running.misses++;
        }
    }

    /** Whether a trial has started and not yet ended. */
    public boolean inTrial() {
        return running != null;
    }

    /**
     * Ends the running trial as incomplete, as the session's end would, but stays in the session: a
     * stream that saw it idle for long calls this, and later actions go on counting trials.
     */
    public void endRunningTrial() {
        if (running != null) {
            emit(running.incomplete(-1));
        }
        running = null;
    }

    /** Writes what this segmenter holds of its session (not its key), for {@link #restore}. */
    public void save(DataOutput out) throws IOException {
        out.writeInt(ordinal);
        out.writeInt(trialNumbersSeen.size());
        for (Map.Entry<Long, Integer> seen : trialNumbersSeen.entrySet()) {
            out.writeLong(seen.getKey());
            out.writeInt(seen.getValue());
        }
        out.writeLong(previous == null ? -1 : previous.seq());
        out.writeBoolean(running != null);
        if (running != null) {
            TrialCodec.write(out, running.start);
            TrialCodec.write(out, running.last);
            out.writeInt(running.samples.size());
            for (PointerSample sample : running.samples) {
                TrialCodec.write(out, sample);
            }
            out.writeLong(running.lost);
            out.writeInt(running.misses);
            out.writeBoolean(running.clockFlagged);
            out.writeInt(running.ordinal);
        }
    }

    /** A segmenter in the middle of {@code session}, as {@link #save} left it. */
    public static TrialSegmenter restore(SessionKey session, DataInput in, TrialMarkers markers, Consumer<Trial> out)
            throws IOException {
        TrialSegmenter segmenter = new TrialSegmenter(markers, out);
        segmenter.session = session;
        segmenter.ordinal = in.readInt();
        for (int i = in.readInt(); i > 0; i--) {
            segmenter.trialNumbersSeen.put(in.readLong(), in.readInt());
        }
        long previousSeq = in.readLong();
        if (previousSeq >= 0) {
            // Only its seq is read again: the order check.
            segmenter.previous = new SessionAction(previousSeq, "", null, null, null, null, null, null);
        }
        if (in.readBoolean()) {
            SessionAction start = TrialCodec.readAction(in);
            SessionAction last = TrialCodec.readAction(in);
            List<PointerSample> samples = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                samples.add(TrialCodec.readSample(in));
            }
            Running running = segmenter.new Running(start, last, samples, in.readLong(), in.readInt(),
                    in.readBoolean(), in.readInt());
            segmenter.running = running;
        }
        return segmenter;
    }

    /** Ends the current session; its running trial, if any, is incomplete. */
    public void finish() {
        if (running != null) {
            emit(running.incomplete(-1));
        }
        running = null;
        session = null;
        previous = null;
        ordinal = 0;
        trialNumbersSeen.clear();
    }

    private void emit(Trial trial) {
        out.accept(trial);
    }

    private String mtId(long trial) {
        int repeat = trialNumbersSeen.merge(trial, 1, Integer::sum);
        String id = session.participant() + "/" + session.sessionId() + "/" + trial;
        return repeat == 1 ? id : id + "#" + repeat;
    }

    static Long integerOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(text.trim());
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
            } catch (NumberFormatException notNumeric) {
                return null;
            }
        }
    }

    private final class Running {
        final SessionAction start;
        final int ordinal;
        final List<PointerSample> samples = new ArrayList<>();
        SessionAction last;
        long lost;
        int misses;
        boolean clockFlagged;

        Running(SessionAction start, int ordinal) {
            this.start = start;
            this.ordinal = ordinal;
            this.last = start;
            take(start);
        }

        Running(SessionAction start, SessionAction last, List<PointerSample> samples, long lost, int misses,
                boolean clockFlagged, int ordinal) {
            this.start = start;
            this.last = last;
            this.samples.addAll(samples);
            this.lost = lost;
            this.misses = misses;
            this.clockFlagged = clockFlagged;
            this.ordinal = ordinal;
        }

        void add(SessionAction a) {
            lost += gap(last.seq(), a.seq());
            last = a;
            take(a);
        }

        private void take(SessionAction a) {
            clockFlagged |= a.clockFlag() != null;
            if (a.pointer() != null) {
                samples.add(a.pointer());
            }
        }

        Trial complete(SessionAction end) {
            return build(end.type(), end, false, 0);
        }

        /** closerSeq: the next start marker's seq, or -1 at the session's end. */
        Trial incomplete(long closerSeq) {
            return build(null, last, true, closerSeq < 0 ? 0 : gap(last.seq(), closerSeq));
        }

        private Trial build(String outcome, SessionAction end, boolean incomplete, long lostBeforeCloser) {
            Long numbered = integerOrNull(start.markerTrial());
            if (numbered == null && !incomplete) {
                numbered = integerOrNull(end.markerTrial());
            }
            long trial = numbered != null ? numbered : ordinal;
            double[] steps = steps(SampleClock.timesMs(samples));
            Double median = steps.length == 0 ? null : Quantiles.of(steps, 0.5);
            Double p95 = steps.length == 0 ? null : Quantiles.of(steps, 0.95);
            return new Trial(session, mtId(trial), trial, ordinal, outcome, start.seq(), end.seq(),
                    start.clientTime(), end.clientTime(), start.serverTime(), end.serverTime(), misses, samples,
                    median, p95, incomplete, lost + lostBeforeCloser, clockFlagged);
        }
    }

    private static long gap(long from, long to) {
        return Math.max(0, to - from - 1);
    }

    private static double[] steps(double[] times) {
        double[] d = new double[Math.max(0, times.length - 1)];
        for (int i = 0; i < d.length; i++) {
            d[i] = times[i + 1] - times[i];
        }
        return d;
    }
}
