package io.useractions.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.useractions.infra.Apps;

/**
 * Replay: the processor's replay command over a topic of as many new actions as the projection phase,
 * next to the idle live processor: first into emptied tables, so that it adds every row (the most a
 * replay writes), then again with the tables already right (it compares every row, writes none).
 */
record ReplayPhase(Rig rig, long records, int partitions, List<String> processorJvm) {
    private static final String TOPIC = "ual-bench-replay";

    void run() throws Exception {
        rig.phase("replay of " + records + " actions");
        Baselines.createServedTopic(rig.endpoints().kafka(), TOPIC, partitions);
        Baselines.fillRawTopic(rig.endpoints().kafka(), TOPIC, rig.workload(), records);
        try (Connection connection = rig.endpoints().connect(); Statement s = connection.createStatement()) {
            // Every table the replay writes: the core ones, the session tables and the derived ones the processor
            // registered. A row left in one (its src_offset below the replay topic's end) makes the replay
            // compare instead of copying straight in.
            s.execute("truncate ui_action, mouse_position, " + String.join(", ", TableSet.SESSION_TABLES));
            s.execute("do $$ declare t text; begin for t in select name from ual_derived_table loop "
                    + "execute format('truncate %I', t); end loop; end $$");
        }
        rig.apps().env("replay", Map.of("UAL_PROCESSOR_TOPICS_RAW", TOPIC));
        String settled = rig.settle("the replay");
        long started = System.nanoTime();
        Map<String, Long> cpu = CpuMeter.snapshot();
        Map<String, String> first = runReplay();
        String cores = CpuMeter.coresBetween(cpu, CpuMeter.snapshot(), (System.nanoTime() - started) / 1e9);
        long actions = Long.parseLong(first.get("actions"));
        // The core tables' rows, as the COPY baseline copies; the derived tables' rows are written too.
        long rows = actions + Long.parseLong(first.get("mouse_positions"));
        long derived = Long.parseLong(first.get("rows")) - rows;
        double load = Double.parseDouble(first.get("load_seconds"));
        double swap = Double.parseDouble(first.get("swap_seconds"));
        double replayCores = Double.parseDouble(first.get("cpu_seconds")) / (load + swap);
        Report report = rig.report();
        report.row("replay", Report.rate(rows / (load + swap), "rows/s"), String.format(Locale.ROOT,
                "%,d records into %,d rows (and %,d of derived tables), every one added, mode %s: read and copied "
                        + "in %.1f s (%,.0f actions/s), put in place in %.1f s; cores: replay %.2f; the rest, with its "
                        + "start-up: %s; beyond the COPY baseline's work it reads and decodes the records, writes the "
                        + "derived tables and %s; %s",
                Long.parseLong(first.get("records")), rows, derived, first.get("mode"), load,
                actions / load, swap, replayCores, cores.replace("cores: ", ""),
                switch (first.get("quality_summary")) {
                    case "folded" -> "folds the data-quality summary as its rows go in";
                    case "rebuilt" -> "rebuilds the data-quality summary";
                    default -> "leaves the data-quality summary as it was";
                }, settled));
        report.metric("replay", rows / (load + swap));

        String settledAgain = rig.settle("the replay again");
        rig.phase("replay again, the tables already right");
        Map<String, String> again = runReplay();
        double againLoad = Double.parseDouble(again.get("load_seconds"));
        double againSwap = Double.parseDouble(again.get("swap_seconds"));
        report.row("replay again, tables already right", Report.rate(rows / (againLoad + againSwap), "rows/s"),
                String.format(Locale.ROOT, "read and copied in %.1f s, compared and put in place in %.1f s "
                        + "(%s rows removed, %s added); %s", againLoad, againSwap, again.get("rows_removed"),
                        again.get("rows_added"), settledAgain));
    }

    /** Runs the processor's replay command and returns its summary line's name=value pairs. */
    private Map<String, String> runReplay() {
        String output = rig.apps().command(Apps.PROCESSOR, "replay", processorJvm)
                .runCommand(List.of("replay"), Duration.ofMinutes(10));
        Map<String, String> summary = new HashMap<>();
        output.lines().filter(line -> line.startsWith("Replay finished: ")).findFirst()
                .map(line -> line.substring("Replay finished: ".length()))
                .ifPresent(pairs -> Arrays.stream(pairs.split(" ")).map(pair -> pair.split("=", 2))
                        .forEach(pair -> summary.put(pair[0], pair[1])));
        if (!summary.containsKey("records")) {
            throw new IllegalStateException("the replay printed no summary; see " + rig.root().resolve("logs"));
        }
        return summary;
    }
}
