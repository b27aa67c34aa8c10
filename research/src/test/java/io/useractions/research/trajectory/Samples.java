package io.useractions.research.trajectory;

/** Small hand-made trajectories: rows of {t, x, y}. */
final class Samples {
    private Samples() {
    }

    static Trajectory of(String id, double[]... rows) {
        double[] t = new double[rows.length];
        double[] x = new double[rows.length];
        double[] y = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            t[i] = rows[i][0];
            x[i] = rows[i][1];
            y[i] = rows[i][2];
        }
        return new Trajectory(id, t, x, y);
    }

    /** Positions along x only, one sample every 10 ms, y rising by 1 each step. */
    static Trajectory alongX(double... xs) {
        double[][] rows = new double[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            rows[i] = new double[] {10 * i, xs[i], i};
        }
        return of("x", rows);
    }
}
