package io.useractions.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ingest, open loop, with the processor stopped (HTTP → Kafka acknowledged): a warm-up, then fixed rates
 * rising until two steps in a row fall behind, then a step at half the highest rate that kept up.
 */
record IngestPhase(Rig rig, int connections, double warmupRate, Duration warmup, List<Double> rates, Duration step,
                   Duration halfStep) {
    /** The highest offered rate that kept up (or the first one tried, if none did) and half of it. */
    record Result(double maximum, double halfMax) {
        /** No ingest phase ran ({@code --e2e-only}): nothing caps the end-to-end rates, and no half-maximum step. */
        static final Result UNBOUNDED = new Result(Double.POSITIVE_INFINITY, 0);
    }

    Result run(Baselines.Rate producer) throws Exception {
        Report report = rig.report();
        try (OpenLoop load = new OpenLoop(rig.batches(), rig.workload(), connections)) {
            // Until C2 has compiled the hot paths the service needs several times the CPU per action:
            // ramp up for a while first, then count a rate as the maximum only if it held.
            for (int i = 1; i <= 3; i++) {
                rig.phase("ingest warm-up at " + Report.rate(warmupRate * i / 3, "actions/s"));
                load.run(warmupRate * i / 3, warmup, null);
            }

            OpenLoop.Result best = null;
            OpenLoop.Result first = null;
            int missed = 0;
            // A single step that falls behind may be a pause of the machine's: the ramp goes on, and the
            // maximum row names any such step below it.
            List<Double> fellBehind = new ArrayList<>();
            for (double rate : rates) {
                rig.phase("ingest at " + Report.rate(rate, "actions/s"));
                Map<String, Long> cpu = CpuMeter.snapshot();
                long evicted = RedisStats.evictedKeys(rig.endpoints().redis());
                long members = RedisStats.largestDedupeSet(rig.endpoints().redis());
                OpenLoop.Result result = load.run(rate, step, null);
                String cores = CpuMeter.usageSince(cpu, result.seconds(), result.acceptedActions())
                        + evictions(evicted, RedisStats.evictedKeys(rig.endpoints().redis()))
                        + tableGrowth(members, RedisStats.largestDedupeSet(rig.endpoints().redis()));
                String shortfall = result.shortfall();
                boolean keepsUp = shortfall.isEmpty();
                first = first == null ? result : first;
                report.latencyRow("ingest open loop @ " + Report.rate(rate, "/s"), result,
                        (keepsUp ? "kept up" : "fell behind: " + shortfall) + "; " + cores);
                if (keepsUp) {
                    best = result;
                    missed = 0;
                } else {
                    fellBehind.add(rate);
                    if (++missed == 2) {
                        break;
                    }
                }
            }
            if (best == null) {
                report.note("the ingest service kept up with none of the rates; half of the lowest is used below");
                best = first;
            }
            report.row("ingest maximum (HTTP → Kafka acked)", Report.rate(best.acceptedPerSecond(), "actions/s"),
                    String.format(Locale.ROOT, "%.0f%% of the producer baseline; target ≥ 150,000",
                            100 * best.acceptedPerSecond() / producer.perSecond()) + belowIt(fellBehind, best));

            double halfMax = Math.round(best.offeredPerSecond() / 2);
            // The steps that fell behind leave a backlog and a heap full of it: settle at the rate first,
            // so that the step measures that rate and not the recovery from the one before.
            rig.phase("ingest settling at half the maximum, " + Report.rate(halfMax, "actions/s"));
            long membersBeforeSettling = RedisStats.largestDedupeSet(rig.endpoints().redis());
            load.run(halfMax, warmup, null);
            rig.phase("ingest at half the maximum, " + Report.rate(halfMax, "actions/s"));
            Map<String, Long> cpu = CpuMeter.snapshot();
            long evicted = RedisStats.evictedKeys(rig.endpoints().redis());
            long members = RedisStats.largestDedupeSet(rig.endpoints().redis());
            OpenLoop.Result half = load.run(halfMax, halfStep, null);
            long membersAfter = RedisStats.largestDedupeSet(rig.endpoints().redis());
            // A set that doubled while the step settled may still be moving into its new table in the step.
            String growth = tableGrowth(members, membersAfter);
            long settlingTable = RedisStats.tableReached(membersBeforeSettling, members);
            if (growth.isEmpty() && settlingTable != 0) {
                growth = String.format(Locale.ROOT, "; a dedupe set passed %,d ids in the settling just before the "
                        + "step: Redis doubled its hash table, and may have been moving the set into the step", settlingTable);
            }
            report.latencyRow("ingest @ half max " + Report.rate(halfMax, "/s"), half, "target p99 ≤ 20 ms; "
                    + CpuMeter.usageSince(cpu, half.seconds(), half.acceptedActions())
                    + evictions(evicted, RedisStats.evictedKeys(rig.endpoints().redis())) + growth);
            return new Result(best.offeredPerSecond(), halfMax);
        }
    }

    /** A note when Redis evicted dedupe buckets during a step: it measured a full dedupe cache. */
    private static String evictions(long before, long after) {
        return before < 0 || after <= before ? "" : String.format(Locale.ROOT,
                "; Redis evicted %d dedupe bucket(s): its maxmemory was reached", after - before);
    }

    /** A note when a dedupe set outgrew its hash table during a step: Redis spent part of it moving the set. */
    static String tableGrowth(long before, long after) {
        long table = RedisStats.tableReached(before, after);
        return table == 0 ? "" : String.format(Locale.ROOT, "; a dedupe set passed %,d ids in the step: Redis "
                + "doubled its hash table, and each command on it is dearer for seconds while the set moves", table);
    }

    /** The steps below the maximum that fell behind, if any, as a note to its row. */
    private static String belowIt(List<Double> fellBehind, OpenLoop.Result best) {
        List<String> below = fellBehind.stream().filter(rate -> rate < best.offeredPerSecond())
                .map(rate -> Report.rate(rate, "/s")).toList();
        return below.isEmpty() ? "" : "; below it, fell behind: " + String.join(", ", below);
    }
}
