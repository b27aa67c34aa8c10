package io.useractions.research.trajectory;

import static io.useractions.research.trajectory.Measure.*;

import java.util.Arrays;
import java.util.EnumSet;

/**
 * mt_deviations, mt_derivatives and mt_measures in one pass over the samples, without per-sample allocation.
 * Arithmetic follows mousetrap's order of operations so that sample-derived times (arg max of values that tie
 * up to rounding, as on a straight path) pick the same sample.
 */
final class MeasureComputation {

    private MeasureComputation() {
    }

    static Measures compute(Trajectory tr, MeasureOptions options) {
        double[] v = new double[Measure.values().length];
        Arrays.fill(v, Double.NaN);
        EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        int n = tr.size();
        if (n < 2) {
            flags.add(Flag.TOO_FEW_SAMPLES);
            return new Measures(tr.id(), v, flags, options);
        }
        double[] t = tr.t;
        double[] x = tr.x;
        double[] y = tr.y;
        double x0 = x[0];
        double y0 = y[0];
        double xn = x[n - 1];
        double yn = y[n - 1];
        boolean startIsEnd = x0 == xn && y0 == yn;
        if (startIsEnd) {
            flags.add(Flag.START_EQUALS_END);
        }
        double pathX = xn - x0;
        double pathY = yn - y0;
        double pathLength2 = pathX * pathX + pathY * pathY;
        // mousetrap states deviations for a movement upwards; a trajectory ending below its start flips them.
        boolean endsBelow = y0 > yn;

        double xMax = x0, xMin = x0, yMax = y0, yMin = y0;
        double madAbs = -1, mad = 0;
        int madAt = 0;
        Extremes deviation = new Extremes(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double devSum = 0;
        double shoelaceForward = 0, shoelaceBackward = 0;
        FlipCounter xFlips = new FlipCounter(options.flipThreshold());
        FlipCounter yFlips = new FlipCounter(options.flipThreshold());
        Reversals xReversals = new Reversals();
        Reversals yReversals = new Reversals();
        int initiatedAt = -1;
        int constantSteps = 0;
        double idleSum = 0;
        boolean pausing = false;
        double pause = 0, hoverTime = 0;
        int hovers = 0;
        double hoverThreshold = options.hoverThreshold();
        double totalDist = 0;
        boolean repeatedTime = false;
        Extremes velocity = new Extremes(0, 0);
        Extremes acceleration = new Extremes(0, 0);
        double previousVel = 0, previousDt = 0;

        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double yi = y[i];
            xMax = Math.max(xMax, xi);
            xMin = Math.min(xMin, xi);
            yMax = Math.max(yMax, yi);
            yMin = Math.min(yMin, yi);

            double idealX = x0, idealY = y0;
            if (!startIsEnd) {
                double u = ((xi - x0) * pathX + (yi - y0) * pathY) / pathLength2;
                idealX = x0 + u * pathX;
                idealY = y0 + u * pathY;
            }
            double offX = idealX - xi;
            double offY = idealY - yi;
            double dev = Math.sqrt(offX * offX + offY * offY);
            if ((idealY > yi) != endsBelow) {
                dev = -dev;
            }
            if (Math.abs(dev) > madAbs) {
                madAbs = Math.abs(dev);
                mad = dev;
                madAt = i;
            }
            deviation.offer(dev, i);
            devSum += dev;

            xReversals.offer(xi);
            yReversals.offer(yi);

            if (initiatedAt < 0) {
                double fromStartX = xi - x0;
                double fromStartY = yi - y0;
                if (Math.sqrt(fromStartX * fromStartX + fromStartY * fromStartY) > options.initiationThreshold()) {
                    initiatedAt = i;
                }
            }

            if (i == 0) {
                continue;
            }
            shoelaceForward += x[i - 1] * yi;
            shoelaceBackward += xi * y[i - 1];

            double dx = xi - x[i - 1];
            double dy = yi - y[i - 1];
            double dt = t[i] - t[i - 1];
            xFlips.add(dx);
            yFlips.add(dy);

            if (dx == 0 && dy == 0) {
                constantSteps++;
                idleSum += dt;
                pausing = true;
                pause += dt;
            } else if (pausing) {
                if (pause > hoverThreshold) {
                    hoverTime += pause;
                    hovers++;
                }
                pausing = false;
                pause = 0;
            }

            double dist = Math.sqrt(dx * dx + dy * dy);
            totalDist += dist;
            if (dt == 0) {
                repeatedTime = true;
            }
            double vel = dist / dt;
            velocity.offer(vel, i);
            if (i >= 2) {
                // mt_derivatives divides the change of speed by the earlier of the two intervals.
                acceleration.offer((Math.abs(vel) - Math.abs(previousVel)) / previousDt, i - 1);
            }
            previousVel = vel;
            previousDt = dt;
        }
        if (pausing && pause > hoverThreshold) {
            hoverTime += pause;
            hovers++;
        }

        double rt = t[n - 1];
        v[XPOS_MAX.ordinal()] = xMax;
        v[XPOS_MIN.ordinal()] = xMin;
        v[YPOS_MAX.ordinal()] = yMax;
        v[YPOS_MIN.ordinal()] = yMin;
        v[MAD.ordinal()] = mad;
        v[MAD_TIME.ordinal()] = t[madAt];
        v[MD_ABOVE.ordinal()] = deviation.max;
        v[MD_ABOVE_TIME.ordinal()] = t[deviation.maxAt];
        v[MD_BELOW.ordinal()] = deviation.min;
        v[MD_BELOW_TIME.ordinal()] = t[deviation.minAt];
        v[AD.ordinal()] = devSum / n;
        double auc = 0.5 * ((shoelaceForward + x[n - 1] * y0) - (shoelaceBackward + x0 * y[n - 1]));
        if ((yn > y0 && xn > x0) || (yn < y0 && xn < x0)) {
            auc = -auc;
        }
        v[AUC.ordinal()] = auc;
        v[XPOS_FLIPS.ordinal()] = xFlips.count();
        v[YPOS_FLIPS.ordinal()] = yFlips.count();
        v[XPOS_REVERSALS.ordinal()] = xReversals.count;
        v[YPOS_REVERSALS.ordinal()] = yReversals.count;
        v[RT.ordinal()] = rt;
        v[INITIATION_TIME.ordinal()] = initiatedAt > 0 ? t[initiatedAt - 1] : rt;

        double initialTime = t[0];
        if (constantSteps == 0) {
            v[IDLE_TIME.ordinal()] = initialTime;
            hoverTime = initialTime > hoverThreshold ? initialTime : 0;
            hovers = 0;
        } else if (constantSteps == n - 1) {
            v[IDLE_TIME.ordinal()] = rt;
            hoverTime = rt > hoverThreshold ? rt : 0;
            hovers = rt > hoverThreshold ? 1 : 0;
        } else {
            v[IDLE_TIME.ordinal()] = idleSum;
        }
        if (options.hasHoverThreshold()) {
            double initiation = v[INITIATION_TIME.ordinal()];
            if (!options.hoverIncludesInitial() && initiation > hoverThreshold) {
                hoverTime -= initiation;
                hovers--;
            }
            v[HOVER_TIME.ordinal()] = hoverTime;
            v[HOVERS.ordinal()] = hovers;
        }

        v[TOTAL_DIST.ordinal()] = totalDist;
        if (repeatedTime) {
            flags.add(Flag.REPEATED_TIMESTAMP);
        } else {
            v[VEL_MAX.ordinal()] = velocity.max;
            // The velocity at sample i is that of the step from i - 1 to i; mousetrap dates it at i - 1.
            v[VEL_MAX_TIME.ordinal()] = t[Math.max(0, velocity.maxAt - 1)];
            v[VEL_MIN.ordinal()] = velocity.min;
            v[VEL_MIN_TIME.ordinal()] = t[Math.max(0, velocity.minAt - 1)];
            v[ACC_MAX.ordinal()] = acceleration.max;
            v[ACC_MAX_TIME.ordinal()] = t[acceleration.maxAt];
            v[ACC_MIN.ordinal()] = acceleration.min;
            v[ACC_MIN_TIME.ordinal()] = t[acceleration.minAt];
        }
        return new Measures(tr.id(), v, flags, options);
    }

    /** The largest and the smallest value offered past the initial ones, each where it was first reached. */
    private static final class Extremes {
        double max, min;
        int maxAt, minAt;

        Extremes(double max, double min) {
            this.max = max;
            this.min = min;
        }

        void offer(double value, int at) {
            if (value > max) {
                max = value;
                maxAt = at;
            }
            if (value < min) {
                min = value;
                minAt = at;
            }
        }
    }

    /** How often a coordinate crossed zero: changes of its sign, a zero keeping the sign before it. */
    private static final class Reversals {
        int count;
        private int side;

        void offer(double value) {
            if (value != 0) {
                int now = value > 0 ? 1 : -1;
                if (side != 0 && now != side) {
                    count++;
                }
                side = now;
            }
        }
    }
}
