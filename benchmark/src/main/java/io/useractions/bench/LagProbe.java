package io.useractions.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;

/**
 * End-to-end lag: for each accepted batch, the time from its 202 to the moment its last action is a row
 * of {@code ui_action}. A thread asks PostgreSQL every {@link #POLL}, by primary key, for the oldest
 * {@link #MAX_IDS_PER_QUERY} pending ids, so the figure has that resolution. Asking for every pending
 * id made the probe's own queries grow with the lag and load the database it measures; rows appear
 * about in the order batches were accepted, so the oldest ones are the ones to ask for.
 */
final class LagProbe implements OpenLoop.AckListener, AutoCloseable {
    static final Duration POLL = Duration.ofMillis(20);
    static final int MAX_IDS_PER_QUERY = 128;

    private final Connection connection;
    private final Queue<Map.Entry<String, Long>> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private volatile boolean clear;
    /** Accepted batches not yet visible, oldest first; the poller's own. */
    private final LinkedHashMap<String, Long> pending = new LinkedHashMap<>();
    private final Histogram lagMicros = new Histogram(3);
    /** Every lag of the current step with its acknowledgement time, to tell whether the lag grew. */
    private final List<long[]> samples = new ArrayList<>();
    private List<long[]> lastSamples = List.of();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile SQLException failure;

    LagProbe(Connection connection) {
        this.connection = connection;
        this.poller = new Thread(this::poll, "lag-probe");
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public void accepted(String lastActionId, long ackNanos) {
        pendingCount.incrementAndGet();
        arrivals.add(Map.entry(lastActionId, ackNanos));
    }

    /** Waits until every accepted batch is visible or {@code timeout} passed; returns the lag histogram. */
    synchronized Histogram drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingCount.get() > 0 && System.nanoTime() < deadline && failure == null) {
            Thread.sleep(POLL.toMillis());
        }
        if (failure != null) {
            throw new IllegalStateException("lag probe query failed", failure);
        }
        Histogram result;
        synchronized (lagMicros) {
            result = lagMicros.copy();
            lagMicros.reset();
            lastSamples = new ArrayList<>(samples);
            samples.clear();
        }
        return result;
    }

    /**
     * The lag p99 of the batches acknowledged in the first and in the last {@code window} of the step the
     * last {@link #drain} ended, in ms, e.g. "lag p99 first 10 s 120 ms, last 10 s 180 ms": a lag that
     * grows over a step means the pipeline did not keep up, however good the step's percentiles look.
     */
    String growth(Duration window) {
        if (lastSamples.isEmpty()) {
            return "no lag samples";
        }
        long first = lastSamples.stream().mapToLong(s -> s[0]).min().orElseThrow();
        long last = lastSamples.stream().mapToLong(s -> s[0]).max().orElseThrow();
        Histogram early = new Histogram(3);
        Histogram late = new Histogram(3);
        for (long[] sample : lastSamples) {
            if (sample[0] < first + window.toNanos()) {
                early.recordValue(sample[1]);
            }
            if (sample[0] > last - window.toNanos()) {
                late.recordValue(sample[1]);
            }
        }
        double seconds = window.toMillis() / 1000.0;
        return String.format(java.util.Locale.ROOT, "lag p99 first %.3g s %.0f ms, last %.3g s %.0f ms", seconds,
                early.getValueAtPercentile(99) / 1000.0, seconds, late.getValueAtPercentile(99) / 1000.0);
    }

    /** Each batch of the step the last {@link #drain} ended: its acknowledgement's nanoTime and its lag in µs. */
    List<long[]> lastSamples() {
        return lastSamples;
    }

    /** Batches accepted but not (yet) visible. */
    int pending() {
        return pendingCount.get();
    }

    /** Forgets the batches still pending (a step that fell behind), once the poller has dropped them. */
    void clearPending() throws InterruptedException {
        clear = true;
        while (clear && poller.isAlive()) {
            Thread.sleep(1);
        }
    }

    private void poll() {
        try (PreparedStatement query = connection.prepareStatement("select id::text from ui_action where id = any(?)")) {
            while (running) {
                for (Map.Entry<String, Long> arrival; (arrival = arrivals.poll()) != null; ) {
                    pending.put(arrival.getKey(), arrival.getValue());
                }
                if (clear) {
                    pendingCount.addAndGet(-pending.size());
                    pending.clear();
                    clear = false;
                }
                if (pending.isEmpty()) {
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
                long started = System.nanoTime();
                List<String> ids = new ArrayList<>(Math.min(pending.size(), MAX_IDS_PER_QUERY));
                for (Iterator<String> it = pending.keySet().iterator(); it.hasNext() && ids.size() < MAX_IDS_PER_QUERY; ) {
                    ids.add(it.next());
                }
                Array array = connection.createArrayOf("uuid", ids.toArray());
                query.setArray(1, array);
                try (ResultSet rows = query.executeQuery()) {
                    long seen = System.nanoTime();
                    while (rows.next()) {
                        Long ack = pending.remove(rows.getString(1));
                        if (ack != null) {
                            pendingCount.decrementAndGet();
                            long lag = Math.max(0, (seen - ack) / 1000);
                            synchronized (lagMicros) {
                                lagMicros.recordValue(lag);
                                samples.add(new long[] { ack, lag });
                            }
                        }
                    }
                }
                array.free();
                long rest = POLL.toNanos() - (System.nanoTime() - started);
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                }
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws SQLException {
        running = false;
        poller.interrupt();
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
