package io.useractions.ingest.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.useractions.ingest.config.IngestConfig;

/**
 * The registered studies: a batch is accepted only for an open study, with one of its working write
 * keys, from its origins, and from a participant who has not withdrawn. The studies of the configuration
 * are fixed; {@link StudyPoller} adds those of PostgreSQL by swapping in a new {@link StudySnapshot}, so
 * a request only reads memory.
 */
@ApplicationScoped
public class StudyRegistry {
    private final boolean requireKey;
    private final Map<String, StudySnapshot.Study> configured;
    private volatile StudySnapshot snapshot;

    @Inject
    public StudyRegistry(IngestConfig config) {
        this(config.access().requireKey(), StudySnapshot.configured(config.access().studies()));
    }

    StudyRegistry(boolean requireKey, Map<String, StudySnapshot.Study> configured) {
        this.requireKey = requireKey;
        this.configured = Map.copyOf(configured);
        this.snapshot = StudySnapshot.merge(configured, Map.of(), Set.of());
    }

    /** Replaces the studies read from the database (and the withdrawn participants) at once. */
    public void update(Map<String, StudySnapshot.Study> database, Set<StudySnapshot.Participant> withdrawn) {
        snapshot = StudySnapshot.merge(configured, database, withdrawn);
    }

    public StudySnapshot snapshot() {
        return snapshot;
    }

    /** An origin some registered study allows (any origin when a study allows "*"). */
    public boolean isKnownOrigin(String origin) {
        Set<String> origins = snapshot.origins();
        return origins.contains("*") || origins.contains(origin);
    }

    /**
     * Throws {@link AccessDeniedException} unless the study is open, the key belongs to it, the origin is
     * allowed and the participant has not withdrawn. Without {@code require-key}, an unknown study and any
     * key are accepted, a closed study and a withdrawn participant are not.
     */
    public void check(String study, String participant, String key, String origin) {
        StudySnapshot current = snapshot;
        StudySnapshot.Study registered = current.studies().get(study);
        if (registered == null) {
            if (requireKey) {
                throw new AccessDeniedException(403, "unknown_study", "study '" + study + "' is not registered");
            }
        } else if (registered.state() != StudySnapshot.State.OPEN) {
            boolean deleted = registered.state() == StudySnapshot.State.DELETED;
            throw new AccessDeniedException(410, deleted ? "study_deleted" : "study_closed", "study",
                    "study '" + study + "' is " + (deleted ? "deleted" : "closed") + ": it takes no new actions");
        }
        if (requireKey) {
            if (key == null || key.isEmpty()) {
                throw new AccessDeniedException(401, "missing_key",
                        "send the study's write key as the 'key' query parameter");
            }
            if (!registered.accepts(key, Instant.now())) {
                throw new AccessDeniedException(401, "invalid_key", "the write key does not belong to study '" + study + "'");
            }
            List<String> origins = registered.origins();
            if (origin != null && !origins.contains("*") && !origins.contains(origin)) {
                throw new AccessDeniedException(403, "origin_not_allowed",
                        "origin " + origin + " may not post to study '" + study + "'");
            }
        }
        if (!current.withdrawn().isEmpty()
                && current.withdrawn().contains(new StudySnapshot.Participant(study, participant))) {
            throw new AccessDeniedException(410, "participant_withdrawn", "participant",
                    "participant '" + participant + "' withdrew from study '" + study + "': their actions are not taken");
        }
    }
}
