package io.useractions.ingest.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of a 202: how many actions Kafka acknowledged and how many were dropped as recent duplicates. */
public record IngestResult(int accepted, @JsonProperty("duplicates_dropped") int duplicatesDropped) {

    /** The body as JSON, written without a mapper: it is every accepted batch's answer. */
    public String json() {
        return "{\"accepted\":" + accepted + ",\"duplicates_dropped\":" + duplicatesDropped + "}";
    }
}
