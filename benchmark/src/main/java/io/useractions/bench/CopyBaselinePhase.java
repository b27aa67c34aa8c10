package io.useractions.bench;

import java.sql.Connection;
import java.util.Locale;

/**
 * PostgreSQL COPY baseline: rows the projection wrote, copied into empty tables LIKE the real ones, in
 * the sink's own transaction size.
 */
record CopyBaselinePhase(Rig rig, long maxRows) {
    /** Its row, which the projection and the replay are compared to. */
    static final String MEASURE = "baseline: PostgreSQL COPY, same rows";

    void run(int sinkActionsPerTransaction) throws Exception {
        rig.phase("PostgreSQL COPY baseline");
        Baselines.Rate copy;
        try (Connection connection = rig.endpoints().connect()) {
            copy = Baselines.copy(connection, maxRows, sinkActionsPerTransaction);
        }
        rig.report().row(MEASURE, Report.rate(copy.perSecond(), "rows/s"),
                String.format(Locale.ROOT, "%,d rows into tables LIKE ui_action and mouse_position (no triggers), "
                        + "ids in arrival order, one transaction per %,d actions, the sink's mean in the projection phase",
                        copy.count(), sinkActionsPerTransaction));
    }
}
