package io.useractions.model.trial;

import java.time.Instant;

/** A mouse_position row: the pointer in the client (viewport), page and screen frames, CSS pixels, y down. */
public record PointerSample(long seq, Double tMono, Instant clientTime, double x, double y,
                            Double pageX, Double pageY, Double screenX, Double screenY) {
}
