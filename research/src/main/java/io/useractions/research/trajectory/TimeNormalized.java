package io.useractions.research.trajectory;

/** A trajectory at equally spaced times: step i (1-based, as mousetrap numbers them) at timestamps[i - 1]. */
public final class TimeNormalized {
    private final String id;
    private final double[] timestamps;
    private final double[] xpos;
    private final double[] ypos;

    TimeNormalized(String id, double[] timestamps, double[] xpos, double[] ypos) {
        this.id = id;
        this.timestamps = timestamps;
        this.xpos = xpos;
        this.ypos = ypos;
    }

    public String id() {
        return id;
    }

    public int steps() {
        return timestamps.length;
    }

    /** NaN for every step when the trajectory has fewer than two distinct times. */
    public boolean isDefined() {
        return timestamps.length == 0 || !Double.isNaN(timestamps[0]);
    }

    /** @param index 0-based; the step's number is index + 1 */
    public double timestamp(int index) {
        return timestamps[index];
    }

    public double x(int index) {
        return xpos[index];
    }

    public double y(int index) {
        return ypos[index];
    }
}
