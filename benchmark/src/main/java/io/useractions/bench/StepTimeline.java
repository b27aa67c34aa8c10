package io.useractions.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * An end-to-end step second by second beside its lag: each part's cores ({@link CpuMeter}), the autovacuum
 * workers and the tables PostgreSQL was vacuuming or analysing, and the checkpoints it ended. The step's
 * notes name its worst seconds of lag with what the pipeline did while those batches waited, and the
 * whole record goes to a CSV file in the run's directory: a step whose p99 is spoilt by one burst shows
 * what the burst coincided with.
 */
final class StepTimeline implements AutoCloseable {
    private static final long SECOND = 1_000_000_000L;
    private static final int WORST = 3;
    /** How long a batch waits before the step has a backlog, and how far before it the notes look. */
    private static final long ONSET_MILLIS = 1000;
    private static final int ONSET_SECONDS = 3;
    /** The worst seconds' notes look this far past them at most: a longer wait is the backlog's. */
    private static final int WORST_WINDOW_SECONDS = 3;
    // Visible to a role with pg_read_all_stats (the benchmark grants its embedded server's user it); for
    // others, the relids are null and only the number of workers is known.
    private static final String POSTGRES_NOW = """
            select (select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'),
                   (select coalesce(string_agg(distinct relid::regclass::text, '+'), '') from pg_stat_progress_vacuum
                     where datname = current_database() and relid is not null),
                   (select coalesce(string_agg(distinct relid::regclass::text, '+'), '') from pg_stat_progress_analyze
                     where datname = current_database() and relid is not null),
                   (select checkpoints_timed + checkpoints_req from pg_stat_bgwriter)""";

    /** One second: CPU ticks by part at its end, and PostgreSQL's state sampled at its end. */
    record Second(Map<String, Long> ticks, long autovacuumWorkers, String vacuuming, String analysing,
                  long checkpoints, long fixedWorkNanos) {
    }

    /** A second of the step whose batches waited longest, and what the pipeline did until they arrived. */
    record Worst(int second, double maxLagMillis, String during) {
        String describe() {
            return String.format(Locale.ROOT, "%d s %,.0f ms (%s)", second, maxLagMillis, during);
        }
    }

    /** About 2 ms of CPU on this machine. */
    private static final int FIXED_WORK_ITERATIONS = 1_000_000;
    private static final double SLOW = 1.2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Keeps the JIT from dropping the fixed work. */
    private static volatile long sink;

    static {
        for (int i = 0; i < 20; i++) {
            fixedWorkNanos(); // compiled before any step, so its first seconds time the same code as its last
        }
    }

    private final Connection connection;
    private final long startNanos;
    private final Map<String, Long> startTicks;
    private final long startCheckpoints;
    private final List<Second> seconds = Collections.synchronizedList(new ArrayList<>());
    private final Thread sampler;
    private volatile boolean running = true;

    /** Starts sampling now; {@code startTicks} is the step's {@link CpuMeter#snapshot} taken just before. */
    StepTimeline(Connection connection, Map<String, Long> startTicks) throws SQLException {
        this.connection = connection;
        this.startTicks = startTicks;
        try {
            this.startCheckpoints = postgresNow().checkpoints();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        this.startNanos = System.nanoTime();
        this.sampler = new Thread(this::sample, "step-timeline");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        try {
            for (long next = startNanos + SECOND; running; next += SECOND) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Second now = postgresNow();
                seconds.add(new Second(CpuMeter.snapshot(), now.autovacuumWorkers(), now.vacuuming(),
                        now.analysing(), now.checkpoints(), fixedWorkNanos()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            // The timeline only explains the lag; the step's figures stand without it.
        }
    }

    private Second postgresNow() throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(POSTGRES_NOW)) {
            row.next();
            return new Second(Map.of(), row.getLong(1), row.getString(2), row.getString(3), row.getLong(4), 0);
        }
    }

    /**
     * Stops sampling; writes the timeline beside the lag of the batches acknowledged each second to {@code csv}
     * and returns the step's worst seconds with what the pipeline did meanwhile, e.g. "worst seconds of lag
     * (acknowledged at): 34 s 1,420 ms (autovacuum 1 worker, vacuum mouse_position; cores: postgres 1.31, ...)".
     */
    String finish(List<long[]> lags, Path csv) {
        close();
        List<Second> record;
        synchronized (seconds) {
            record = List.copyOf(seconds);
        }
        if (record.isEmpty() || lags.isEmpty()) {
            return "no timeline";
        }
        List<Second> withStart = new ArrayList<>(record.size() + 1);
        withStart.add(new Second(startTicks, 0, "", "", startCheckpoints, 0));
        withStart.addAll(record);
        long[][] perSecond = lagPerSecond(lags, startNanos, record.size());
        try {
            Files.writeString(csv, csv(withStart, perSecond));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringJoiner text = new StringJoiner(", ", "worst seconds of lag (acknowledged at): ", "");
        worst(withStart, perSecond).forEach(w -> text.add(w.describe()));
        return onset(withStart, perSecond) + text + "; " + events(withStart) + "; " + speed(withStart)
                + "; per second: " + csv.getFileName();
    }

    /**
     * The CPU time of {@link #fixedWork} in this second: the same instructions each time, so it grows only when
     * the CPU itself is slower, as when the host's other tenants load it (this machine is a 2-vCPU VM); waiting
     * for a core does not count, and neither do caches and memory, which it hardly touches. It takes about 2 ms.
     */
    private static long fixedWorkNanos() {
        long before = THREADS.getCurrentThreadCpuTime();
        sink = fixedWork(FIXED_WORK_ITERATIONS);
        return THREADS.getCurrentThreadCpuTime() - before;
    }

    static long fixedWork(int iterations) {
        long x = 0x9E3779B97F4A7C15L;
        long sum = 0;
        for (int i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            sum += x ^ (sum >>> 3);
        }
        return sum;
    }

    /**
     * How the CPU time of the same work moved over the step, e.g. "the same work's CPU time: median 1.02 ms,
     * 1.41× at its slowest (32 s), 1.2× or more in 12 of 60 s": a step whose every part got dearer at once
     * while the rate stayed ran on a slower CPU, not into a slower pipeline.
     */
    static String speed(List<Second> timeline) {
        long[] nanos = timeline.stream().skip(1).mapToLong(Second::fixedWorkNanos).filter(n -> n > 0).sorted().toArray();
        if (nanos.length == 0) {
            return "no CPU speed samples";
        }
        double median = nanos[nanos.length / 2];
        int slowestSecond = 0;
        long slowestNanos = 0;
        int slow = 0;
        for (int second = 0; second < timeline.size() - 1; second++) {
            long n = timeline.get(second + 1).fixedWorkNanos();
            if (n > slowestNanos) {
                slowestNanos = n;
                slowestSecond = second;
            }
            if (n >= SLOW * median) {
                slow++;
            }
        }
        return String.format(Locale.ROOT, "the same work's CPU time: median %.2f ms, %.2f× at its slowest (%d s), "
                + "%.1f× or more in %d of %d s", median / 1e6, slowestNanos / median, slowestSecond, SLOW, slow,
                timeline.size() - 1);
    }

    /**
     * Where the lag first passed {@link #ONSET_MILLIS} and what the {@value #ONSET_SECONDS} seconds before held,
     * e.g. "lag over 1 s from 10 s (the 3 s before: no autovacuum; cores: ...); ": once a backlog builds, the
     * worst seconds only show it draining, and what started it lies before them. Empty if the lag never did.
     */
    static String onset(List<Second> timeline, long[][] lagPerSecond) {
        for (int i = 0; i < lagPerSecond.length; i++) {
            if (lagPerSecond[i][1] > ONSET_MILLIS * 1000) {
                // Samples from..to cover the seconds before i, or the first second itself when i is 0.
                int from = Math.max(0, i - ONSET_SECONDS);
                int to = Math.min(timeline.size() - 1, Math.max(i, 1));
                return String.format(Locale.ROOT, "lag over %,d ms from %d s (%s: %s); ", ONSET_MILLIS, i,
                        i == 0 ? "its first second" : "the " + (i - from) + " s before",
                        during(timeline.subList(from, to + 1)));
            }
        }
        return "";
    }

    /** For each second of the step: the batches acknowledged in it and the longest lag among them, in µs. */
    static long[][] lagPerSecond(List<long[]> lags, long startNanos, int secondCount) {
        long[][] result = new long[secondCount][2];
        for (long[] lag : lags) {
            int second = (int) Math.min(secondCount - 1, Math.max(0, (lag[0] - startNanos) / SECOND));
            result[second][0]++;
            result[second][1] = Math.max(result[second][1], lag[1]);
        }
        return result;
    }

    /**
     * The {@value #WORST} seconds whose batches waited longest, each with what the pipeline did from then until
     * the last of them arrived (at most {@value #WORST_WINDOW_SECONDS} s on): the most autovacuum workers, the
     * tables vacuumed and analysed, the checkpoints ended and each part's cores. {@code timeline} starts with
     * the step's start; entry i + 1 ends second i.
     */
    static List<Worst> worst(List<Second> timeline, long[][] lagPerSecond) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lagPerSecond.length; i++) {
            if (lagPerSecond[i][0] > 0) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingLong((Integer i) -> lagPerSecond[i][1]).reversed());
        List<Worst> worst = new ArrayList<>();
        for (int second : order.subList(0, Math.min(WORST, order.size()))) {
            long lagMicros = lagPerSecond[second][1];
            int until = (int) Math.min(timeline.size() - 1,
                    second + 1 + Math.min(WORST_WINDOW_SECONDS, (lagMicros + 999_999) / 1_000_000));
            worst.add(new Worst(second, lagMicros / 1000.0,
                    during(timeline.subList(second, until + 1))));
        }
        return worst;
    }

    /** What {@code window} (consecutive samples; its first is where it starts) held, in a few words. */
    static String during(List<Second> window) {
        long workers = 0;
        TreeSet<String> vacuumed = new TreeSet<>();
        TreeSet<String> analysed = new TreeSet<>();
        for (Second s : window.subList(1, window.size())) {
            workers = Math.max(workers, s.autovacuumWorkers());
            split(s.vacuuming(), vacuumed);
            split(s.analysing(), analysed);
        }
        Second first = window.get(0);
        Second last = window.get(window.size() - 1);
        StringJoiner text = new StringJoiner("; ");
        if (workers > 0) {
            text.add("autovacuum " + workers + (workers == 1 ? " worker" : " workers")
                    + (vacuumed.isEmpty() ? "" : ", vacuum " + String.join("+", vacuumed))
                    + (analysed.isEmpty() ? "" : ", analyze " + String.join("+", analysed)));
        } else {
            text.add("no autovacuum");
        }
        long checkpoints = last.checkpoints() - first.checkpoints();
        if (checkpoints > 0) {
            text.add(checkpoints + (checkpoints == 1 ? " checkpoint" : " checkpoints") + " ended");
        }
        text.add(CpuMeter.coresBetween(first.ticks(), last.ticks(), window.size() - 1));
        return text.toString();
    }

    /** When autovacuum worked in the step and when checkpoints ended, e.g. "autovacuum busy 12 of 60 s". */
    static String events(List<Second> timeline) {
        int busy = 0;
        List<Integer> checkpoints = new ArrayList<>();
        for (int i = 1; i < timeline.size(); i++) {
            if (timeline.get(i).autovacuumWorkers() > 0) {
                busy++;
            }
            if (timeline.get(i).checkpoints() > timeline.get(i - 1).checkpoints()) {
                checkpoints.add(i - 1);
            }
        }
        return String.format(Locale.ROOT, "autovacuum busy %d of %d s, %s", busy, timeline.size() - 1,
                checkpoints.isEmpty() ? "no checkpoint ended" : "checkpoints ended at " + checkpoints + " s");
    }

    private static void split(String tables, TreeSet<String> into) {
        if (tables != null && !tables.isEmpty()) {
            Collections.addAll(into, tables.split("\\+"));
        }
    }

    /** One line per second: its batches and their longest lag, each part's cores, autovacuum, checkpoints. */
    static String csv(List<Second> timeline, long[][] lagPerSecond) {
        TreeSet<String> parts = new TreeSet<>();
        timeline.forEach(s -> parts.addAll(s.ticks().keySet()));
        StringBuilder out = new StringBuilder("second,batches,max_lag_ms");
        parts.forEach(p -> out.append(",cores_").append(p.replace(' ', '_')));
        out.append(",autovacuum_workers,vacuuming,analysing,checkpoints_ended,fixed_work_cpu_us\n");
        for (int i = 1; i < timeline.size(); i++) {
            Second before = timeline.get(i - 1);
            Second s = timeline.get(i);
            boolean lagged = i - 1 < lagPerSecond.length;
            out.append(i - 1).append(',').append(lagged ? lagPerSecond[i - 1][0] : 0).append(',')
                    .append(lagged ? lagPerSecond[i - 1][1] / 1000 : 0);
            for (String part : parts) {
                long ticks = s.ticks().getOrDefault(part, 0L) - before.ticks().getOrDefault(part, 0L);
                out.append(',').append(String.format(Locale.ROOT, "%.2f", ticks / (double) CpuMeter.TICKS_PER_SECOND));
            }
            out.append(',').append(s.autovacuumWorkers()).append(',').append(s.vacuuming()).append(',')
                    .append(s.analysing()).append(',').append(s.checkpoints() - before.checkpoints()).append(',')
                    .append(s.fixedWorkNanos() / 1000).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(2000);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            // Closing a monitoring connection: nothing to do about it.
        }
    }
}
