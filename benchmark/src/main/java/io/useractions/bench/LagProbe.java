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
        }
        return result;
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
                            synchronized (lagMicros) {
                                lagMicros.recordValue(Math.max(0, (seen - ack) / 1000));
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
