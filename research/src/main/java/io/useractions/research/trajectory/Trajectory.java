package io.useractions.research.trajectory;

import java.util.Objects;

/**
 * One trial's pointer samples: times in ms and positions, in sample order. Immutable. Times never decrease
 * (a repeated time is allowed: {@link Preparation} removes it); every value is finite.
 */
public final class Trajectory {
    private final String id;
    final double[] t;
    final double[] x;
    final double[] y;

    /** Copies the arrays. */
    public Trajectory(String id, double[] times, double[] x, double[] y) {
        this(id, times.clone(), x.clone(), y.clone(), true);
    }

    private Trajectory(String id, double[] t, double[] x, double[] y, boolean validate) {
        this.id = Objects.requireNonNull(id, "id");
        this.t = t;
        this.x = x;
        this.y = y;
        if (validate) {
            validate();
        }
    }

    /** Takes the arrays without copying; the caller must not change them afterwards. */
    static Trajectory owning(String id, double[] t, double[] x, double[] y) {
        return new Trajectory(id, t, x, y, true);
    }

    private void validate() {
        if (t.length != x.length || t.length != y.length) {
            throw new IllegalArgumentException("trajectory " + id + ": " + t.length + " times, " + x.length
                    + " x and " + y.length + " y values");
        }
        for (int i = 0; i < t.length; i++) {
            if (!Double.isFinite(t[i]) || !Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("trajectory " + id + ": sample " + i + " is not finite");
            }
            if (i > 0 && t[i] < t[i - 1]) {
                throw new IllegalArgumentException("trajectory " + id + ": time " + t[i] + " of sample " + i
                        + " is before " + t[i - 1]);
            }
        }
    }

    public String id() {
        return id;
    }

    public int size() {
        return t.length;
    }

    public double time(int i) {
        return t[i];
    }

    public double x(int i) {
        return x[i];
    }

    public double y(int i) {
        return y[i];
    }

    public double[] times() {
        return t.clone();
    }

    public double[] xs() {
        return x.clone();
    }

    public double[] ys() {
        return y.clone();
    }

    @Override
    public String toString() {
        return "Trajectory[" + id + ", " + t.length + " samples]";
    }
}
