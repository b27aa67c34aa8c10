package io.useractions.bench;

import java.sql.Connection;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL COPY baseline: the rows the projection wrote, copied in the sink's own transaction size into
 * tables LIKE the real ones, in the projection's two halves: the first into empty tables (as the replay
 * writes into emptied ones), the second into tables holding the first (as the projection's measured half).
 */
record CopyBaselinePhase(Rig rig) {
    /** The second half's row, which the projection is compared to. */
    static final String MEASURE = "baseline: PostgreSQL COPY, same rows";
    /** The first half's row, which the replay is compared to. */
    static final String EMPTY_MEASURE = "baseline: PostgreSQL COPY into empty tables";

    void run(ProjectionPhase.Result projected) throws Exception {
        String settled = rig.settle("the COPY baseline");
        rig.phase("PostgreSQL COPY baseline");
        List<Baselines.Rate> halves;
        try (Connection connection = rig.endpoints().connect()) {
            halves = Baselines.copy(connection, projected.actionsBefore(), projected.half(),
                    projected.actionsPerTransaction());
        }
        rig.report().row(MEASURE, Report.rate(halves.get(1).perSecond(), "rows/s"), String.format(Locale.ROOT,
                "the projection's second half, %,d rows, into tables LIKE ui_action and mouse_position (no triggers) "
                        + "holding its first half, as the projection's measured half found them; ids in arrival order, "
                        + "one transaction per %,d actions (the sink's mean in the projection phase); %s",
                halves.get(1).count(), projected.actionsPerTransaction(), settled));
        rig.report().row(EMPTY_MEASURE, Report.rate(halves.get(0).perSecond(), "rows/s"), String.format(Locale.ROOT,
                "its first half, %,d rows, into the same tables empty, as the replay writes into emptied tables; "
                        + "timed just before the row above", halves.get(0).count()));
    }
}
