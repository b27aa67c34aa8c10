package io.useractions.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * CPU time per part of the pipeline, from /proc: the ingest service, the processor, the broker,
 * PostgreSQL, Redis and the load generator itself. On a shared 2-core machine this shows which part
 * a stage was bound by.
 */
final class CpuMeter {
    private static final long TICKS_PER_SECOND = 100;
    private static final long SELF = ProcessHandle.current().pid();

    private CpuMeter() {
    }

    /** CPU ticks used so far, by part. */
    static Map<String, Long> snapshot() {
        Map<String, Long> ticks = new TreeMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String part = part(process);
                if (part != null) {
                    ticks.merge(part, ticks(process), Long::sum);
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
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

    private static String part(Path process) {
        String command;
        try {
            command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return null;
        }
        if (process.getFileName().toString().equals(Long.toString(SELF))) {
            return "load generator";
        }
        if (command.contains("ingest-service")) {
            return "ingest";
        }
        if (command.contains("stream-processor")) {
            return command.trim().endsWith(" replay") ? "replay" : "processor";
        }
        if (command.contains("kafka.Kafka")) {
            return "kafka";
        }
        if (command.startsWith("postgres") || command.contains("/bin/postgres")) {
            return "postgres";
        }
        if (command.contains("redis-server")) {
            return "redis";
        }
        return null;
    }

    private static long ticks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
