package io.useractions.research.quality;

import java.time.Instant;

/**
 * How well one session's data came in. {@code lost} counts the seq numbers missing below the highest one
 * received (the logger numbers a session's actions from 1, and ids make each action count once), so
 * actions lost after the last one that arrived cannot be counted. Sampling steps are {@code t_mono}
 * differences between consecutive pointer samples in seq order; null with fewer than two samples.
 * Medians and percentiles come from histograms (see {@link Buckets}).
 */
public record SessionQuality(String participant, String sessionId, String condition, long actions,
        long pointerSamples, Instant firstSeen, Instant lastSeen, long highestSeq, long lost, Double skewMedianMs,
        long skewWorstMs, long flaggedClocks, Double intervalMedianMs, Double intervalP95Ms, long trialsCompleted,
        boolean finished) {

    /** Lost actions as a percentage of the actions the logger numbered. */
    public double lostPercent() {
        return highestSeq == 0 ? 0 : 100.0 * lost / highestSeq;
    }
}
