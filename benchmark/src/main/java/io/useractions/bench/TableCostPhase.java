package io.useractions.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.useractions.infra.ServiceProcess;

/**
 * What each derived table costs the projection: the same backlog of new actions projected by a processor
 * writing the core tables only, then each shipped derived table alone, then all of them, in
 * {@code rounds} rounds (the sets in turn, so that a slow minute of the shared machine does not land on
 * one set), after a warm-up (unless {@code warmUp} is off: a quick run's figures mean nothing anyway). Each
 * set starts on emptied tables. CPU per action over the warm part of the backlog (after
 * its first quarter), the processor and PostgreSQL apart; the rows each table got, so that a table that
 * writes nothing cannot pass for cheap. With {@code untilRows}, a set with the sessions' tables waits only
 * until they have rows, not for a whole emit interval ({@link TableSet#rowsWritten}).
 */
record TableCostPhase(Rig rig, long records, int rounds, boolean warmUp, boolean untilRows,
                      List<String> processorJvm) {

    /** One set's figures in one round. */
    private record Measured(double actionsPerSecond, double processorMicros, double postgresMicros,
                            double pipelineMicros, Map<String, Long> rows) {
    }

    /** Runs every set and returns the registered derived tables. */
    List<String> run() throws Exception {
        List<String> registered = TableSet.registered(rig.endpoints());
        List<TableSet> sets = TableSet.each(registered);
        Map<TableSet, List<Measured>> measured = new LinkedHashMap<>();
        sets.forEach(set -> measured.put(set, new ArrayList<>()));
        // The first processor start of a run meets cold caches (the JIT's, PostgreSQL's, the page cache); it
        // would make the first set measured look dearer. Every second round goes the other way round.
        if (warmUp) {
            rig.phase(String.format(Locale.ROOT, "table cost, warm-up: %s, %,d new actions",
                    sets.get(sets.size() - 1).label(), records / 2));
            measure(sets.get(sets.size() - 1), registered, records / 2);
        }
        for (int round = 1; round <= rounds; round++) {
            List<TableSet> order = new ArrayList<>(sets);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (TableSet set : order) {
                rig.phase(String.format(Locale.ROOT, "table cost, round %d of %d: %s, %,d new actions", round, rounds,
                        set.label(), records));
                measured.get(set).add(measure(set, registered, records));
            }
        }
        Report report = rig.report();
        Measured core = median(measured.get(sets.get(0)));
        for (TableSet set : sets) {
            List<Measured> runs = measured.get(set);
            Measured m = median(runs);
            String empty = set.empty(runs.get(runs.size() - 1).rows());
            String delta = set.core() ? "the reference" : String.format(Locale.ROOT,
                    "vs core only: processor %+.1f µs, PostgreSQL %+.1f µs, pipeline %+.1f µs per action (%+.0f%%), "
                            + "throughput %+.0f%%", m.processorMicros() - core.processorMicros(),
                    m.postgresMicros() - core.postgresMicros(), m.pipelineMicros() - core.pipelineMicros(),
                    100 * (m.pipelineMicros() / core.pipelineMicros() - 1),
                    100 * (m.actionsPerSecond() / core.actionsPerSecond() - 1));
            report.row("table cost: " + set.label(), Report.rate(m.actionsPerSecond(), "actions/s"),
                    String.format(Locale.ROOT, "µs/action: processor %.1f, PostgreSQL %.1f, pipeline %.1f; %s; %s%s%s",
                            m.processorMicros(), m.postgresMicros(), m.pipelineMicros(), delta,
                            set.rowsText(runs.get(runs.size() - 1).rows()),
                            runs.size() > 1 ? "; median of " + runs.size() + " rounds, " + spread(runs) : "",
                            empty == null ? "" : "; NO ROWS in " + empty + ": its cost is not measured"));
        }
        return registered;
    }

    private Measured measure(TableSet set, List<String> registered, long records) throws Exception {
        TableSet.truncate(rig.endpoints());
        ProjectionPhase.skipRawBacklog(rig);
        Baselines.fillRawTopic(rig.endpoints().kafka(), rig.workload(), records);
        ServiceProcess processor = set.processor(rig, processorJvm);
        try {
            ProjectionPhase.Drained run = ProjectionPhase.drain(rig, List.of(processor));
            long actions = run.warmActionCount();
            Map<String, Long> from = run.cpuAtWarmStart();
            Map<String, Long> to = run.cpuAtDone();
            return new Measured(actions / run.warmSeconds(), CpuMeter.micros(from, to, CpuMeter.PROCESSOR, actions),
                    CpuMeter.micros(from, to, CpuMeter.POSTGRES, actions), CpuMeter.pipelineMicros(from, to, actions),
                    set.rowsWritten(rig.endpoints(), registered, untilRows));
        } finally {
            processor.stop();
        }
    }

    /** The round with the median pipeline CPU per action (the lower middle of an even count). */
    private static Measured median(List<Measured> runs) {
        List<Measured> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.pipelineMicros(), b.pipelineMicros()));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String spread(List<Measured> runs) {
        double low = runs.stream().mapToDouble(Measured::pipelineMicros).min().orElse(0);
        double high = runs.stream().mapToDouble(Measured::pipelineMicros).max().orElse(0);
        return String.format(Locale.ROOT, "pipeline %.1f-%.1f µs/action", low, high);
    }
}
