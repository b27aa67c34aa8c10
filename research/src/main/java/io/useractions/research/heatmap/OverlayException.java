package io.useractions.research.heatmap;

import io.useractions.research.export.ExportRequestException;

/**
 * An uploaded or named screenshot that cannot be drawn under a heatmap; the message says why. An
 * {@link ExportRequestException} (a 400 in the console); {@link #tooLarge()} marks the ones that are a 413.
 */
public class OverlayException extends ExportRequestException {

    /** What is wrong with the image. */
    public enum Problem {
        EMPTY, TOO_MANY_BYTES, NOT_AN_IMAGE, TOO_MANY_PIXELS
    }

    private final Problem problem;

    public OverlayException(Problem problem, String message) {
        super("overlay: " + message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public boolean tooLarge() {
        return problem == Problem.TOO_MANY_BYTES || problem == Problem.TOO_MANY_PIXELS;
    }
}
