package io.useractions.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What the client said about its browser and screen, once per batch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientContext(
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("screen_w") Integer screenW,
        @JsonProperty("screen_h") Integer screenH,
        Double dpr,
        String language,
        String timezone,
        @JsonProperty("tz_offset_min") Integer tzOffsetMin) {
}
