package io.useractions.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The value of a record on the raw topic: one action with the batch-level identity and context it
 * came with, and the time the ingest service received it (epoch ms).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionEnvelope(
        int v,
        String study,
        String participant,
        String session,
        String condition,
        @JsonProperty("sent_at") long sentAt,
        @JsonProperty("received_at") long receivedAt,
        ClientContext context,
        Action action) {

    public static final int VERSION = 1;
}
