package io.useractions.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.HdrHistogram.Histogram;

/**
 * End to end, processor running: open-loop load at rising rates and at half the ingest maximum (when an
 * ingest phase found one), the lag from each 202 to its last row, until a step does not hold.
 */
record EndToEndPhase(Rig rig, List<Double> rates, Duration step, int connections) {
    private static final double LAG_P99_LIMIT_MS = 1000;

    /** The configured rates up to the ingest maximum, and half of it, until one does not hold. */
    void run(IngestPhase.Result ingest) throws Exception {
        rig.phase("end-to-end lag");
        double halfMax = ingest.halfMax();
        TreeSet<Double> steps = new TreeSet<>();
        if (halfMax > 0) {
            steps.add(halfMax);
        }
        for (double rate : rates) {
            if (rate <= ingest.maximum()) {
                steps.add(rate);
            }
        }
        Report report = rig.report();
        double sustained = 0;
        try (OpenLoop load = new OpenLoop(rig.batches(), rig.workload(), connections);
             LagProbe probe = new LagProbe(rig.endpoints().connect())) {
            for (double rate : steps) {
                String settled = rig.settle("end to end at " + Report.rate(rate, "actions/s"));
                long actionsBefore = rig.endpoints().count("select count(*) from ui_action");
                rig.phase("end to end at " + Report.rate(rate, "actions/s"));
                Map<String, Long> cpu = CpuMeter.snapshot();
                OpenLoop.Result result;
                String cores;
                Histogram lag;
                String seconds;
                try (StepTimeline timeline = new StepTimeline(rig.endpoints().connect(), cpu)) {
                    result = load.run(rate, step, probe);
                    cores = CpuMeter.usageSince(cpu, result.seconds(), result.acceptedActions());
                    lag = probe.drain(Duration.ofSeconds(60));
                    seconds = timeline.finish(probe.lastSamples(),
                            rig.root().resolve(String.format(Locale.ROOT, "e2e-%.0f.csv", rate)));
                }
                int missing = probe.pending();
                probe.clearPending();
                double p50 = lag.getValueAtPercentile(50) / 1000.0;
                double p99 = lag.getValueAtPercentile(99) / 1000.0;
                String notHeld = whyNotHeld(result, p99, missing);
                boolean ok = notHeld.isEmpty();
                report.lagRow("end-to-end lag @ " + Report.rate(rate, "/s") + (rate == halfMax ? " (half max)" : ""),
                        result, p50, p99, lag.getValueAtPercentile(99.9) / 1000.0,
                        (missing > 0 ? missing + " batches not visible after 60 s; " : "")
                                + (ok ? "p99 ≤ 1 s" : "did not hold: " + notHeld) + "; "
                                + probe.growth(growthWindow()) + "; " + seconds + "; " + cores + String.format(Locale.ROOT,
                                "; started on %,d rows of ui_action; %s", actionsBefore, settled));
                if (!ok) {
                    // A step that fell behind leaves a backlog that every later step would measure too.
                    break;
                }
                sustained = Math.max(sustained, rate);
            }
        }
        report.row("sustained end to end (lag p99 ≤ 1 s)", sustained > 0 ? "≥ " + Report.rate(sustained, "actions/s") : "none",
                "highest rate tried that held; target ≥ 25,000");
    }

    /**
     * Brings the apps to the state the end-to-end phase of a whole run finds them in, for {@code --e2e-only}:
     * the ingest service and the processor past their JIT compilers' first minute (a cold ingest service
     * fell behind at 15,000 actions/s with a p99 of 12 s), and every row written.
     */
    void warmUp(double rate, Duration duration) throws Exception {
        long accepted = 0;
        try (OpenLoop load = new OpenLoop(rig.batches(), rig.workload(), connections)) {
            for (int i = 1; i <= 3; i++) {
                rig.phase("end-to-end warm-up at " + Report.rate(rate * i / 3, "actions/s"));
                accepted += load.run(rate * i / 3, duration.dividedBy(3), null).acceptedActions();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (rig.endpoints().count("select count(*) from ui_action") < accepted && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    /** The start and end of a step compared for lag growth: 10 s of a 60 s step. */
    private Duration growthWindow() {
        Duration sixth = step.dividedBy(6);
        return sixth.compareTo(Duration.ofSeconds(10)) < 0 ? sixth : Duration.ofSeconds(10);
    }

    /** Why a step did not hold, such as "lag p99 over 1 s, 3 failed"; empty when it held. */
    static String whyNotHeld(OpenLoop.Result result, double lagP99, int missing) {
        List<String> why = new ArrayList<>();
        if (lagP99 > LAG_P99_LIMIT_MS) {
            why.add("lag p99 over 1 s");
        }
        String shortfall = result.shortfall();
        if (!shortfall.isEmpty()) {
            why.add(shortfall);
        }
        if (missing > 0) {
            why.add("batches not visible");
        }
        return String.join(", ", why);
    }
}
