package io.useractions.ingest.access;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.WriteKey;

/**
 * Every study the ingest knows at one moment, immutable: those of the configuration merged with those
 * read from PostgreSQL (a study of the database wins over one of the same name in the configuration),
 * and the withdrawn participants. {@link StudyRegistry} swaps a whole new one in, so a request reads
 * one consistent snapshot from memory.
 */
public record StudySnapshot(Map<String, Study> studies, Set<Participant> withdrawn, Set<String> origins) {

    public enum State {
        OPEN, CLOSED, DELETED
    }

    /** A study: its state, its browser origins and its write keys (hashed, each with its validity). */
    public record Study(String id, State state, List<String> origins, List<WriteKey> keys) {
        /** Whether {@code key} is one of the study's keys and works at {@code now}. */
        public boolean accepts(String key, Instant now) {
            String hash = WriteKey.hash(key);
            for (WriteKey candidate : keys) {
                // Hashes of a secret, compared in constant time all the same.
                if (java.security.MessageDigest.isEqual(candidate.hash().getBytes(), hash.getBytes())
                        && candidate.validAt(now)) {
                    return true;
                }
            }
            return false;
        }
    }

    public record Participant(String study, String participant) {
    }

    public static final StudySnapshot EMPTY = new StudySnapshot(Map.of(), Set.of(), Set.of());

    /** The studies of the configuration: open, with their key valid for ever. */
    public static Map<String, Study> configured(Map<String, IngestConfig.Study> configured) {
        Map<String, Study> studies = new HashMap<>();
        configured.forEach((id, study) -> studies.put(id, new Study(id, State.OPEN, study.origins().orElse(List.of()),
                List.of(new WriteKey(WriteKey.hash(study.writeKey()), Instant.EPOCH, null)))));
        return studies;
    }

    /** The configured studies overridden by the database's, and the withdrawn participants. */
    public static StudySnapshot merge(Map<String, Study> configured, Map<String, Study> database,
            Set<Participant> withdrawn) {
        Map<String, Study> studies = new HashMap<>(configured);
        studies.putAll(database);
        Set<String> origins = new HashSet<>();
        studies.values().forEach(study -> origins.addAll(study.origins()));
        return new StudySnapshot(Map.copyOf(studies), Set.copyOf(withdrawn), Set.copyOf(origins));
    }
}
