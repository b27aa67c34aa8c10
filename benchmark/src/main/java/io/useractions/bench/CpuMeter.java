package io.useractions.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * CPU time per part of the pipeline, from /proc: the ingest service, the processor, the broker,
 * PostgreSQL, Redis and the load generator itself. On a shared 2-core machine this shows which part
 * a stage was bound by.
 *
 * <p>A process that exits is counted too: its CPU time moves to its parent's children's time when the
 * parent reaps it, so each part counts its processes' own time plus their reaped children's (PostgreSQL's
 * backends of closed connections), and the apps this JVM started and that exited (a replay command, a
 * stopped app) are the part {@value #EXITED}. A child that exits within a phase brings its whole
 * lifetime into that phase.
 */
final class CpuMeter {
    static final long TICKS_PER_SECOND = 100;
    private static final long SELF = ProcessHandle.current().pid();
    static final String EXITED = "exited apps";
    static final String PROCESSOR = "processor";
    static final String POSTGRES = "postgres";
    private static final String LOAD_GENERATOR = "load generator";

    private CpuMeter() {
    }

    /**
     * Counts only this run's processes from now on: this JVM's descendants, and the descendants of a process
     * whose command line names {@code root} (PostgreSQL's postmaster, which pg_ctl detaches, runs with its
     * data directory there). Without it, a PostgreSQL, broker or processor of tests running beside the
     * benchmark would be counted as this run's, and one of them exiting would even make a part's time fall.
     */
    static void scope(Path root) {
        // With the separator, so that bench-<time> is not taken for a prefix of bench-<time>-2 (Benchmark.newRunDir).
        runRoot = root.toString() + File.separator;
    }

    private static volatile String runRoot;

    /** CPU ticks used so far, by part. */
    static Map<String, Long> snapshot() {
        Map<String, Long> ticks = new TreeMap<>();
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, String> commands = new HashMap<>();
        Map<Long, long[]> times = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String statLine = read(process.resolve("stat"));
                long[] stat = statLine == null ? null : stat(statLine);
                String command = statLine == null ? null : command(read(process.resolve("cmdline")), statLine);
                if (stat == null || command == null) {
                    continue;
                }
                long pid = Long.parseLong(process.getFileName().toString());
                parents.put(pid, stat[2]);
                commands.put(pid, command);
                times.put(pid, stat);
            }
        } catch (IOException e) {
            return ticks;
        }
        Map<Long, Boolean> ours = new HashMap<>();
        for (Map.Entry<Long, String> process : commands.entrySet()) {
            long pid = process.getKey();
            String part = part(pid, process.getValue());
            if (part == null || !ours(pid, parents, commands, ours)) {
                continue;
            }
            long[] stat = times.get(pid);
            if (part.equals(LOAD_GENERATOR)) {
                ticks.merge(part, stat[0], Long::sum);
                ticks.merge(EXITED, stat[1], Long::sum);
            } else {
                ticks.merge(part, stat[0] + stat[1], Long::sum);
            }
        }
        return ticks;
    }

    /** Whether the process is this run's (see {@link #scope}); every process if no scope was set. */
    private static boolean ours(long pid, Map<Long, Long> parents, Map<Long, String> commands, Map<Long, Boolean> known) {
        String root = runRoot;
        if (root == null) {
            return true;
        }
        Boolean answer = known.get(pid);
        if (answer != null) {
            return answer;
        }
        String command = commands.get(pid);
        Long parent = parents.get(pid);
        boolean result;
        if (pid == SELF || (command != null && command.contains(root))) {
            result = true;
        } else if (parent == null || parent <= 1 || parent == pid) {
            result = false;
        } else {
            result = ours(parent, parents, commands, known);
        }
        known.put(pid, result);
        return result;
    }

    /** Cores used by each part between two snapshots, e.g. "ingest 1.1, kafka 0.5, ...". */
    static String coresBetween(Map<String, Long> before, Map<String, Long> after, double seconds) {
        Map<String, Double> cores = new LinkedHashMap<>();
        after.forEach((part, ticks) -> cores.put(part, (ticks - before.getOrDefault(part, 0L)) / (double) TICKS_PER_SECOND / seconds));
        StringJoiner text = new StringJoiner(", ", "cores: ", "");
        cores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> e.getValue() >= 0.05)
                .forEach(e -> text.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())));
        return text.toString();
    }

    /**
     * CPU microseconds each part spent per action between two snapshots, e.g. "µs/action: ingest 21,
     * kafka 9, ...": what an action costs each part, comparable across rates and runs.
     */
    static String microsPerAction(Map<String, Long> before, Map<String, Long> after, long actions) {
        StringJoiner text = new StringJoiner(", ", "µs/action: ", "");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) * 1e6
                        / TICKS_PER_SECOND / Math.max(1, actions)))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> e.getValue() >= 0.5)
                .forEach(e -> text.add(String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue())));
        return text.toString();
    }

    /** CPU microseconds one part spent per action between two snapshots. */
    static double micros(Map<String, Long> before, Map<String, Long> after, String part, long actions) {
        return (after.getOrDefault(part, 0L) - before.getOrDefault(part, 0L)) * 1e6 / TICKS_PER_SECOND
                / Math.max(1, actions);
    }

    /** CPU microseconds per action of the whole pipeline: every part but the load generator and exited apps. */
    static double pipelineMicros(Map<String, Long> before, Map<String, Long> after, long actions) {
        double sum = 0;
        for (String part : after.keySet()) {
            if (!part.equals(LOAD_GENERATOR) && !part.equals(EXITED)) {
                sum += micros(before, after, part, actions);
            }
        }
        return sum;
    }

    /** Cores of each part since {@code before} over {@code seconds}, and its CPU per action over {@code actions}. */
    static String usageSince(Map<String, Long> before, double seconds, long actions) {
        Map<String, Long> after = snapshot();
        return coresBetween(before, after, seconds) + "; " + microsPerAction(before, after, actions);
    }

    /**
     * The process's command line, or where it has none, its name from {@code stat}: an exited process not yet
     * reaped (an autovacuum worker the postmaster has yet to wait for) has an empty command line, and counted
     * under no part its ticks would vanish from PostgreSQL's until the postmaster reaps it, then come back at
     * once, a second of negative cores followed by one of several.
     */
    static String command(String cmdline, String stat) {
        if (cmdline != null && !cmdline.isEmpty()) {
            return cmdline.replace('\0', ' ');
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        return open < 0 || close < open ? null : stat.substring(open + 1, close);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static String part(long pid, String command) {
        if (pid == SELF) {
            return LOAD_GENERATOR;
        }
        if (command.contains("ingest-service")) {
            return "ingest";
        }
        if (command.contains("stream-processor")) {
            return command.trim().endsWith(" replay") ? "replay" : PROCESSOR;
        }
        if (command.contains("kafka.Kafka")) {
            return "kafka";
        }
        if (command.startsWith("postgres") || command.contains("/bin/postgres")) {
            return POSTGRES;
        }
        if (command.contains("redis-server")) {
            return "redis";
        }
        return null;
    }

    /**
     * The process's own ticks (utime + stime), its reaped children's (cutime + cstime) and its parent's
     * pid; null if it is gone.
     */
    private static long[] stat(String stat) {
        try {
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] { Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14]), Long.parseLong(fields[1]) };
        } catch (RuntimeException e) {
            return null;
        }
    }
}
