package io.useractions.processor;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A task run again and again, a fixed delay apart, on a daemon thread of its own until {@link #stop()}. */
public final class Periodic {
    private final ScheduledExecutorService executor;

    private Periodic(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Runs {@code task} on a thread named {@code thread} after {@code delay}, then {@code delay} after each run. */
    public static Periodic every(Duration delay, String thread, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread daemon = new Thread(runnable, thread);
            daemon.setDaemon(true);
            return daemon;
        });
        long millis = delay.toMillis();
        executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
        return new Periodic(executor);
    }

    /** Interrupts a run in progress and runs no more. */
    public void stop() {
        executor.shutdownNow();
    }
}
