package io.useractions.research.export;

import io.useractions.research.trajectory.Measure;

/** Dictionary text for mousetrap's measures (after the standard preparation: y up, remapped, start at 0,0). */
final class MeasureText {

    private MeasureText() {
    }

    static String unit(Measure m) {
        return switch (m) {
            case XPOS_FLIPS, YPOS_FLIPS, XPOS_REVERSALS, YPOS_REVERSALS, HOVERS -> null;
            case AUC -> "px^2";
            case VEL_MAX, VEL_MIN -> "px/ms";
            case ACC_MAX, ACC_MIN -> "px/ms^2";
            case MAD_TIME, MD_ABOVE_TIME, MD_BELOW_TIME, RT, INITIATION_TIME, IDLE_TIME, HOVER_TIME, VEL_MAX_TIME,
                 VEL_MIN_TIME, ACC_MAX_TIME, ACC_MIN_TIME -> "ms";
            default -> "px";
        };
    }

    static String description(Measure m) {
        return switch (m) {
            case XPOS_MAX -> "largest x";
            case XPOS_MIN -> "smallest x";
            case YPOS_MAX -> "largest y";
            case YPOS_MIN -> "smallest y";
            case MAD -> "maximum absolute deviation from the straight line start-end, signed (positive: above it)";
            case MAD_TIME -> "time of MAD";
            case MD_ABOVE -> "maximum deviation above the straight line";
            case MD_ABOVE_TIME -> "time of MD_above";
            case MD_BELOW -> "maximum deviation below the straight line";
            case MD_BELOW_TIME -> "time of MD_below";
            case AD -> "average deviation from the straight line";
            case AUC -> "signed area between the trajectory and the straight line";
            case XPOS_FLIPS -> "direction changes along x";
            case YPOS_FLIPS -> "direction changes along y";
            case XPOS_REVERSALS -> "crossings of the y axis (x = 0) after the start";
            case YPOS_REVERSALS -> "crossings of the x axis (y = 0) after the start";
            case RT -> "time of the last sample";
            case INITIATION_TIME -> "time of the last sample before the pointer first moved";
            case IDLE_TIME -> "total time without movement";
            case HOVER_TIME -> "total time of hovers (with a hover threshold only)";
            case HOVERS -> "number of hovers (with a hover threshold only)";
            case TOTAL_DIST -> "length of the path";
            case VEL_MAX -> "largest velocity";
            case VEL_MAX_TIME -> "time of vel_max (mousetrap: the sample before the fastest step)";
            case VEL_MIN -> "smallest velocity";
            case VEL_MIN_TIME -> "time of vel_min";
            case ACC_MAX -> "largest acceleration";
            case ACC_MAX_TIME -> "time of acc_max";
            case ACC_MIN -> "smallest acceleration";
            case ACC_MIN_TIME -> "time of acc_min";
        };
    }
}
