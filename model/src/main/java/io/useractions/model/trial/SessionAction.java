package io.useractions.model.trial;

import java.time.Instant;

/**
 * A ui_action row as trial segmentation needs it.
 *
 * @param markerTrial the action's {@code data.trial} as text, null when absent
 * @param clockFlag   the pipeline's clock flag, null when the client clock looked plausible
 * @param pointer     the action's mouse_position row, null unless it is a pointer action
 */
public record SessionAction(long seq, String type, Instant clientTime, Instant serverTime, Double tMono,
                            String markerTrial, String clockFlag, PointerSample pointer) {
}
