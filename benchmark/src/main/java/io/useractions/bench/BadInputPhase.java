package io.useractions.bench;

import java.util.Locale;

/** Bad input: the tests' bad-input corpus, one request at a time, each answer checked and timed. */
record BadInputPhase(Rig rig, int rounds) {
    void run() throws Exception {
        rig.phase("bad-input corpus");
        BadInputProbe.Result bad = new BadInputProbe(rig.batches()).run(rounds);
        rig.report().percentilesRow("bad input, one request at a time", String.format(Locale.ROOT, "%d 5xx", bad.serverErrors()),
                bad.percentileMillis(50), bad.percentileMillis(99), bad.percentileMillis(99.9),
                "target p99 ≤ 20 ms, 0 5xx; " + BadInputProbe.describe(bad));
    }
}
