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
        double madAbs = -1, mad = 0, above = Double.NEGATIVE_INFINITY, below = Double.POSITIVE_INFINITY;
        int madAt = 0, aboveAt = 0, belowAt = 0;
        double devSum = 0;
        double shoelaceForward = 0, shoelaceBackward = 0;
        FlipCounter xFlips = new FlipCounter(options.flipThreshold());
        FlipCounter yFlips = new FlipCounter(options.flipThreshold());
        int xSide = 0, ySide = 0, xReversals = 0, yReversals = 0;
        int initiatedAt = -1;
        int constantSteps = 0;
        double idleSum = 0;
        boolean pausing = false;
        double pause = 0, hoverTime = 0;
        int hovers = 0;
        double hoverThreshold = options.hoverThreshold();
        double totalDist = 0;
        boolean repeatedTime = false;
        double velMax = 0, velMin = 0, accMax = 0, accMin = 0;
        int velMaxAt = 0, velMinAt = 0, accMaxAt = 0, accMinAt = 0;
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
            if (dev > above) {
                above = dev;
                aboveAt = i;
            }
            if (dev < below) {
                below = dev;
                belowAt = i;
            }
            devSum += dev;

            if (xi != 0) {
                int side = xi > 0 ? 1 : -1;
                if (xSide != 0 && side != xSide) {
                    xReversals++;
                }
                xSide = side;
            }
            if (yi != 0) {
                int side = yi > 0 ? 1 : -1;
                if (ySide != 0 && side != ySide) {
                    yReversals++;
                }
                ySide = side;
            }

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
            if (vel > velMax) {
                velMax = vel;
                velMaxAt = i;
            }
            if (vel < velMin) {
                velMin = vel;
                velMinAt = i;
            }
            if (i >= 2) {
                // mt_derivatives divides the change of speed by the earlier of the two intervals.
                double acc = (Math.abs(vel) - Math.abs(previousVel)) / previousDt;
                if (acc > accMax) {
                    accMax = acc;
                    accMaxAt = i - 1;
                }
                if (acc < accMin) {
                    accMin = acc;
                    accMinAt = i - 1;
                }
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
        v[MD_ABOVE.ordinal()] = above;
        v[MD_ABOVE_TIME.ordinal()] = t[aboveAt];
        v[MD_BELOW.ordinal()] = below;
        v[MD_BELOW_TIME.ordinal()] = t[belowAt];
        v[AD.ordinal()] = devSum / n;
        double auc = 0.5 * ((shoelaceForward + x[n - 1] * y0) - (shoelaceBackward + x0 * y[n - 1]));
        if ((yn > y0 && xn > x0) || (yn < y0 && xn < x0)) {
            auc = -auc;
        }
        v[AUC.ordinal()] = auc;
        v[XPOS_FLIPS.ordinal()] = xFlips.count();
        v[YPOS_FLIPS.ordinal()] = yFlips.count();
        v[XPOS_REVERSALS.ordinal()] = xReversals;
        v[YPOS_REVERSALS.ordinal()] = yReversals;
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
            v[VEL_MAX.ordinal()] = velMax;
            // The velocity at sample i is that of the step from i - 1 to i; mousetrap dates it at i - 1.
            v[VEL_MAX_TIME.ordinal()] = t[Math.max(0, velMaxAt - 1)];
            v[VEL_MIN.ordinal()] = velMin;
            v[VEL_MIN_TIME.ordinal()] = t[Math.max(0, velMinAt - 1)];
            v[ACC_MAX.ordinal()] = accMax;
            v[ACC_MAX_TIME.ordinal()] = t[accMaxAt];
            v[ACC_MIN.ordinal()] = accMin;
            v[ACC_MIN_TIME.ordinal()] = t[accMinAt];
        }
        return new Measures(tr.id(), v, flags, options);
    }
}
