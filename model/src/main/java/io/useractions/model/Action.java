package io.useractions.model;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One user action as the v1 wire format defines it. Pointer fields are null for actions without a
 * pointer position (a {@code keydown}); {@code data} holds free-form values of the study.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Action(
        UUID id,
        long seq,
        String type,
        long t,
        @JsonProperty("t_mono") Double tMono,
        String url,
        Double x,
        Double y,
        @JsonProperty("page_x") Double pageX,
        @JsonProperty("page_y") Double pageY,
        @JsonProperty("screen_x") Double screenX,
        @JsonProperty("screen_y") Double screenY,
        Integer vw,
        Integer vh,
        Target target,
        ObjectNode data) {

    /** True when the action carries a pointer position in the client (viewport) frame. */
    public boolean hasPointer() {
        return x != null && y != null;
    }
}
