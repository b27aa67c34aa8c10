package io.useractions.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.useractions.infra.ServiceProcess;

/**
 * End to end with the derived tables on against the core tables only: the same open-loop steps (each
 * after a warm-up at its rate, on emptied tables) through a processor writing the core tables only, then
 * through one writing every shipped derived table. Compared: the highest rate that held, and the whole
 * pipeline's CPU per action at the highest rate both held (on a CPU-bound machine the throughput it
 * allows). The derived tables pass when both stay within 15% of the core-only figure. {@code untilRows}: as in
 * {@link TableCostPhase}.
 */
record EndToEndCostPhase(Rig rig, List<Double> rates, Duration warmup, Duration step, int connections,
                         boolean untilRows, List<String> processorJvm) {
    /** Throughput with the derived tables on, as a share of core only, that still passes. */
    static final double WITHIN = 0.85;

    /** One step of one set. */
    private record Step(double rate, boolean held, double pipelineMicros, double processorMicros,
                        double postgresMicros, double lagP99) {
    }

    void run(List<String> registered) throws Exception {
        TableSet core = TableSet.core(registered);
        TableSet all = TableSet.all(registered);
        List<Step> coreSteps = steps(core, registered);
        List<Step> allSteps = steps(all, registered);
        double coreSustained = sustained(coreSteps);
        double allSustained = sustained(allSteps);
        Step coreAt = null;
        Step allAt = null;
        for (int i = 0; i < Math.min(coreSteps.size(), allSteps.size()); i++) {
            if (coreSteps.get(i).held() && allSteps.get(i).held()) {
                coreAt = coreSteps.get(i);
                allAt = allSteps.get(i);
            }
        }
        Report report = rig.report();
        if (coreSustained == 0 || coreAt == null) {
            report.row("end to end, derived tables / core only", "not measured", String.format(Locale.ROOT,
                    "no rate held for both (core only held %s, with the derived tables %s): lower --cost-rates",
                    Report.rate(coreSustained, "actions/s"), Report.rate(allSustained, "actions/s")));
            return;
        }
        double sustainedRatio = allSustained / coreSustained;
        double cpuRatio = coreAt.pipelineMicros() / allAt.pipelineMicros();
        boolean pass = sustainedRatio >= WITHIN && cpuRatio >= WITHIN;
        report.row("end to end, derived tables / core only", String.format(Locale.ROOT, "%.0f%%: %s",
                100 * Math.min(sustainedRatio, cpuRatio), pass ? "PASS" : "FAIL"), String.format(Locale.ROOT,
                "rule: within 15%% of core only (≥ %.0f%%) in both the highest rate held (core only %s, all tables %s: "
                        + "%.0f%%) and the throughput the CPU allows at %s, the pipeline's CPU per action core only "
                        + "over all tables (%.1f / %.1f µs: %.0f%%; processor %.1f → %.1f µs, PostgreSQL %.1f → "
                        + "%.1f µs; lag p99 %.0f → %.0f ms); derived tables: %s",
                100 * WITHIN, Report.rate(coreSustained, "actions/s"), Report.rate(allSustained, "actions/s"),
                100 * sustainedRatio, Report.rate(coreAt.rate(), "actions/s"), coreAt.pipelineMicros(),
                allAt.pipelineMicros(), 100 * cpuRatio, coreAt.processorMicros(), allAt.processorMicros(),
                coreAt.postgresMicros(), allAt.postgresMicros(), coreAt.lagP99(), allAt.lagP99(),
                String.join(", ", all.tables())));
    }

    /** The set's steps at rising rates until one does not hold. */
    private List<Step> steps(TableSet set, List<String> registered) throws Exception {
        List<Step> steps = new ArrayList<>();
        for (double rate : rates) {
            Step step = step(set, registered, rate);
            steps.add(step);
            if (!step.held()) {
                break;
            }
        }
        return steps;
    }

    private Step step(TableSet set, List<String> registered, double rate) throws Exception {
        TableSet.truncate(rig.endpoints());
        ProjectionPhase.skipRawBacklog(rig);
        // New sessions, as each projection set starts: the core-only step took the last ones on past what the
        // sessions' state knows, and a gap holds their actions for the reorder window (10 s), longer than a
        // quick step.
        rig.workload().renewSessions();
        ServiceProcess processor = set.processor(rig, processorJvm);
        try (OpenLoop load = new OpenLoop(rig.batches(), rig.workload(), connections);
             LagProbe probe = new LagProbe(rig.endpoints().connect())) {
            processor.start();
            processor.waitReady();
            rig.phase("end to end, " + set.label() + ": warm-up at " + Report.rate(rate, "actions/s"));
            load.run(rate, warmup, null);
            rig.phase("end to end, " + set.label() + " at " + Report.rate(rate, "actions/s"));
            Map<String, Long> before = CpuMeter.snapshot();
            OpenLoop.Result result = load.run(rate, step, probe);
            Map<String, Long> after = CpuMeter.snapshot();
            String cores = CpuMeter.coresBetween(before, after, result.seconds()) + "; "
                    + CpuMeter.microsPerAction(before, after, result.acceptedActions());
            Histogram lag = probe.drain(Duration.ofSeconds(60));
            int missing = probe.pending();
            probe.clearPending();
            double p99 = lag.getValueAtPercentile(99) / 1000.0;
            String notHeld = EndToEndPhase.whyNotHeld(result, p99, missing);
            boolean held = notHeld.isEmpty();
            Map<String, Long> rows = set.rowsWritten(rig.endpoints(), registered, untilRows);
            String empty = set.empty(rows);
            rig.report().lagRow("end to end, " + set.label() + " @ " + Report.rate(rate, "/s"), result,
                    lag.getValueAtPercentile(50) / 1000.0, p99, lag.getValueAtPercentile(99.9) / 1000.0,
                    (missing > 0 ? missing + " batches not visible after 60 s; " : "")
                            + (held ? "p99 ≤ 1 s" : "did not hold: " + notHeld) + "; "
                            + probe.growth(step.dividedBy(6).compareTo(Duration.ofSeconds(10)) < 0 ? step.dividedBy(6)
                                    : Duration.ofSeconds(10)) + "; " + cores + "; " + set.rowsText(rows)
                            + (empty == null ? "" : "; NO ROWS in " + empty));
            long actions = result.acceptedActions();
            return new Step(rate, held, CpuMeter.pipelineMicros(before, after, actions),
                    CpuMeter.micros(before, after, CpuMeter.PROCESSOR, actions),
                    CpuMeter.micros(before, after, CpuMeter.POSTGRES, actions), p99);
        } finally {
            processor.stop();
        }
    }

    private static double sustained(List<Step> steps) {
        return steps.stream().filter(Step::held).mapToDouble(Step::rate).max().orElse(0);
    }
}
