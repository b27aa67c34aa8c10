package io.useractions.research.export;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import io.useractions.model.trial.Trial;
import io.useractions.model.trial.TrialRow;
import io.useractions.research.trajectory.Flag;
import io.useractions.research.trajectory.Measure;
import io.useractions.research.trajectory.Measures;
import io.useractions.research.trajectory.Preparation;
import io.useractions.research.trajectory.TimeNormalize;
import io.useractions.research.trajectory.TimeNormalized;
import io.useractions.research.trajectory.Trajectory;
import io.useractions.research.trial.Frame;
import io.useractions.research.trial.TrialTrajectory;

/** The rows each trial contributes to trials, trajectories, trajectories_tn and measures. */
final class DerivedTables {

    static final String INVALID_TRAJECTORY = "invalid_trajectory";

    private DerivedTables() {
    }

    /** Writes the trial's rows of one table; returns how many. */
    static long write(TableName table, Trial trial, Frame frame, Analysis analysis, RowWriter out)
            throws IOException {
        return switch (table) {
            case TRIALS -> trial(trial, out);
            case TRAJECTORIES -> trajectory(TrialTrajectory.of(trial, frame), out);
            case TRAJECTORIES_TN -> timeNormalized(trial, frame, analysis, out);
            case MEASURES -> measures(trial, frame, analysis, out);
            default -> throw new IllegalArgumentException(table + " is not derived from trials");
        };
    }

    private static long trial(Trial t, RowWriter out) throws IOException {
        TrialRow.write(t, out);
        out.endRow();
        return 1;
    }

    private static long trajectory(TrialTrajectory t, RowWriter out) throws IOException {
        for (int i = 0; i < t.size(); i++) {
            out.string(t.mtId());
            out.integer(i + 1);
            out.number(t.timestamps()[i]);
            out.number(t.xpos()[i]);
            out.number(t.ypos()[i]);
            out.endRow();
        }
        return t.size();
    }

    private static long timeNormalized(Trial trial, Frame frame, Analysis analysis, RowWriter out)
            throws IOException {
        Trajectory prepared = prepared(trial, frame, analysis);
        int steps = analysis.steps();
        TimeNormalized tn = prepared == null ? null : TimeNormalize.of(prepared, steps);
        for (int i = 0; i < steps; i++) {
            out.string(trial.mtId());
            out.integer(i + 1);
            out.number(tn == null ? Double.NaN : tn.timestamp(i));
            out.number(tn == null ? Double.NaN : tn.x(i));
            out.number(tn == null ? Double.NaN : tn.y(i));
            out.endRow();
        }
        return steps;
    }

    private static long measures(Trial trial, Frame frame, Analysis analysis, RowWriter out) throws IOException {
        Trajectory prepared = prepared(trial, frame, analysis);
        Measures m = prepared == null ? null : Measures.of(prepared, analysis.measureOptions());
        out.string(trial.mtId());
        for (String column : Measures.COLUMNS) {
            out.number(m == null ? Double.NaN : m.get(Measure.ofColumn(column)));
        }
        String flags = m == null ? INVALID_TRAJECTORY
                : m.flags().stream().map(Flag::label).sorted().collect(Collectors.joining(";"));
        out.string(flags.isEmpty() ? null : flags);
        out.endRow();
        return 1;
    }

    /** mousetrap's standard preparation; null when the samples are no trajectory (time going backwards). */
    static Trajectory prepared(Trial trial, Frame frame, Analysis analysis) {
        TrialTrajectory t = TrialTrajectory.of(trial, frame);
        try {
            return Preparation.prepare(new Trajectory(trial.mtId(), t.timestamps(), t.xpos(), t.ypos()),
                    analysis.preparation());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static List<TableName> derived() {
        return List.of(TableName.TRIALS, TableName.MEASURES, TableName.TRAJECTORIES, TableName.TRAJECTORIES_TN);
    }
}
