package io.useractions.model.trial;

import java.time.Instant;
import java.util.List;

/**
 * One trial of a session: from a start marker to the next end marker in seq order (complete), or to
 * the last action before the next start marker or the session's end (incomplete).
 *
 * @param mtId             {@code participant/session/trial}, plus {@code #k} for the k-th repeat of a
 *                         trial number in the session; the key shared by all trial tables
 * @param trial            the start (else end) marker's {@code data.trial} when it is an integer, else
 *                         {@code ordinal}
 * @param ordinal          1 for the session's first start marker, 2 for the next, ...
 * @param outcome          the end marker's type; null when incomplete
 * @param endSeq           the end marker's seq, or the last action's seq of an incomplete trial
 * @param lostActions      seq numbers missing after the start marker, up to the end marker or the action
 *                         that closed the trial
 * @param samples          the session's pointer samples with a seq in [startSeq, endSeq], in seq order
 * @param medianIntervalMs median step between consecutive samples' times ({@link SampleClock}); null
 *                         with fewer than two samples
 */
public record Trial(SessionKey session, String mtId, long trial, int ordinal, String outcome,
                    long startSeq, long endSeq, Instant startClientTime, Instant endClientTime,
                    Instant startServerTime, Instant endServerTime, int misses, List<PointerSample> samples,
                    Double medianIntervalMs, Double p95IntervalMs, boolean incomplete, long lostActions,
                    boolean clockFlagged) {

    public Trial {
        samples = List.copyOf(samples);
    }

    public int sampleCount() {
        return samples.size();
    }
}
