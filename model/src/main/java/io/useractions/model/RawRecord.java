package io.useractions.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The value of a raw-topic record, as read: the batch's identity and context, the time the ingest
 * service received it (epoch ms), and its actions. A v2 record holds the new actions of one accepted
 * batch (or of a part of it, see {@link RawRecords#MAX_RECORD_BYTES}); a v1 record, written before v2,
 * holds one action. An action's provenance is its record's partition and offset and its index here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RawRecord(
        int v,
        String study,
        String participant,
        String session,
        String condition,
        @JsonProperty("sent_at") long sentAt,
        @JsonProperty("received_at") long receivedAt,
        ClientContext context,
        List<Action> actions) {

    public static final int V1 = 1;
    public static final int V2 = 2;

    /** The send delay of the batch: receive time minus send time, both epoch ms. */
    public long skewMillis() {
        return receivedAt - sentAt;
    }
}
