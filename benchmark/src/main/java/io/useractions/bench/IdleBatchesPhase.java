package io.useractions.bench;

import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/** Single batches, idle pipeline: each sent alone, 200 ms apart, and timed from its 202 to its last row. */
record IdleBatchesPhase(Rig rig, int batches) {
    private static final String AUTOVACUUM_WORKERS =
            "select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'";

    void run() throws Exception {
        String settled = rig.settle("single batches");
        rig.phase("single batches, idle pipeline");
        Histogram micros;
        IdleLatency idle = new IdleLatency(rig.batches(), rig.workload());
        long maintenance;
        try (Connection connection = rig.endpoints().connect()) {
            // Settled first, yet autovacuum may start on a table again: say whether it ran.
            maintenance = rig.endpoints().count(AUTOVACUUM_WORKERS);
            micros = idle.run(connection, batches, Duration.ofMillis(200));
            maintenance += rig.endpoints().count(AUTOVACUUM_WORKERS);
        }
        rig.report().percentilesRow("single batch, idle pipeline, 202 → row",
                String.format(Locale.ROOT, "p99 %.0f ms", micros.getValueAtPercentile(99) / 1000.0),
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0, String.format(Locale.ROOT,
                        "%d batches one at a time, 200 ms apart; max is the last column (batch %d); autovacuum "
                                + "workers seen at its start and end: %d; target p99 ≤ 250 ms; %s",
                        micros.getTotalCount(), idle.slowest + 1, maintenance, settled));
        rig.report().metric("idle batch p99 ms", micros.getValueAtPercentile(99) / 1000.0);
    }
}
