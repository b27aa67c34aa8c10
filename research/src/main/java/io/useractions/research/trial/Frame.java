package io.useractions.research.trial;

import java.util.Locale;

import io.useractions.model.trial.PointerSample;

/** Which coordinates of a pointer sample a trajectory uses; all in CSS pixels with y growing downwards. */
public enum Frame {
    /** the viewport: {@code x}, {@code y} (clientX/clientY) */
    CLIENT,
    /** the document: {@code page_x}, {@code page_y}, so scrolling moves the pointer */
    PAGE,
    /** the screen: {@code screen_x}, {@code screen_y} */
    SCREEN;

    public static Frame parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown frame '" + name + "' (client, page or screen)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The sample's x in this frame, or null if it was not recorded. */
    public Double x(PointerSample s) {
        return switch (this) {
            case CLIENT -> s.x();
            case PAGE -> s.pageX();
            case SCREEN -> s.screenX();
        };
    }

    public Double y(PointerSample s) {
        return switch (this) {
            case CLIENT -> s.y();
            case PAGE -> s.pageY();
            case SCREEN -> s.screenY();
        };
    }
}
