package io.useractions.processor.studies;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** What the admin API answers about studies; never key material beyond a key issued once. */
public final class StudyViews {
    private StudyViews() {
    }

    /** A write key's validity, without the key or its hash. */
    public record Key(@JsonProperty("valid_from") Instant validFrom, @JsonProperty("valid_until") Instant validUntil,
            boolean active) {
    }

    public record AuditEntry(String action, String actor, Instant at, JsonNode detail) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Study(String id, String state, List<String> origins, String retention,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
            List<Key> keys, List<AuditEntry> audit) {
    }

    /** A study and its key, answered once, when the key is made. */
    public record Issued(Study study, @JsonProperty("write_key") String writeKey,
            @JsonProperty("previous_keys_valid_until") Instant previousKeysValidUntil) {
    }

    /** A deleted study and the rows deleted from each table. */
    public record Deleted(Study study, @JsonProperty("deleted_rows") Map<String, Long> deletedRows) {
    }
}
