package io.useractions.processor.topology;

import java.time.Duration;

/**
 * When the topology asks Kafka Streams to commit before its {@code commit.interval.ms}. A routed record
 * reaches the sink only once its transaction commits, and every exactly-once commit costs the broker and
 * the Streams thread a fixed amount (markers on every partition it wrote, the offsets, the transaction
 * log). So the interval is set for a loaded pipeline (300 ms), and while the actions routed over the
 * last second come to less than {@code lightActionsPerSecond} a task that routed records asks for a
 * commit every {@code early} (100 ms): an idle pipeline turns a single batch into rows as fast as before,
 * a busy one commits a third as often (docs/benchmarks.md). The rate is taken over a second, not over
 * {@code early}, so that one large batch is not taken for load.
 *
 * <p>One pacer serves every task of the processor; tasks count their actions into it from their stream
 * thread and ask it from their punctuators.
 */
public final class CommitPacer {
    /** Never asks: every commit on the interval. */
    public static final CommitPacer NEVER = new CommitPacer(Duration.ofMillis(100), 0);
    private static final long WINDOW_MILLIS = 1000;

    private final Duration early;
    private final long lightActionsPerSecond;
    private long routed;
    private long windowStart = Long.MIN_VALUE;
    private long routedAtWindowStart;
    private double actionsPerSecond;

    public CommitPacer(Duration early, long lightActionsPerSecond) {
        if (early.isNegative() || early.isZero()) {
            throw new IllegalArgumentException("the early commit interval must be positive, not " + early);
        }
        this.early = early;
        this.lightActionsPerSecond = lightActionsPerSecond;
    }

    /** How often a task with routed records asks whether to commit. */
    public Duration early() {
        return early;
    }

    /** Counts actions routed to the projection. */
    public synchronized void routed(int actions) {
        routed += actions;
    }

    /**
     * Whether a task that routed records since it last asked should commit now, at {@code nowMillis}: the
     * rate over the last whole second (or more) is under the light-load threshold.
     */
    public synchronized boolean commitEarly(long nowMillis) {
        if (lightActionsPerSecond <= 0) {
            return false;
        }
        if (windowStart == Long.MIN_VALUE) {
            windowStart = nowMillis;
            routedAtWindowStart = routed;
        } else if (nowMillis - windowStart >= WINDOW_MILLIS) {
            actionsPerSecond = (routed - routedAtWindowStart) * 1000.0 / (nowMillis - windowStart);
            windowStart = nowMillis;
            routedAtWindowStart = routed;
        }
        return actionsPerSecond < lightActionsPerSecond;
    }
}
