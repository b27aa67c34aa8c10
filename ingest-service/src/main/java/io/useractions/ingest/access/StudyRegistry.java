package io.useractions.ingest.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.useractions.ingest.config.IngestConfig;

/** The registered studies: a batch is accepted only with its study's write key and from its origins. */
@ApplicationScoped
public class StudyRegistry {
    private final boolean requireKey;
    private final Map<String, IngestConfig.Study> studies;
    private final Set<String> knownOrigins;

    public StudyRegistry(IngestConfig config) {
        this.requireKey = config.access().requireKey();
        this.studies = Map.copyOf(config.access().studies());
        this.knownOrigins = studies.values().stream().flatMap(study -> study.origins().orElse(List.of()).stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** An origin some registered study allows (any origin when a study allows "*"). */
    public boolean isKnownOrigin(String origin) {
        return knownOrigins.contains("*") || knownOrigins.contains(origin);
    }

    /** Throws {@link AccessDeniedException} unless the key belongs to the study and the origin is allowed. */
    public void check(String study, String key, String origin) {
        if (!requireKey) {
            return;
        }
        IngestConfig.Study registered = studies.get(study);
        if (registered == null) {
            throw new AccessDeniedException(403, "unknown_study", "study '" + study + "' is not registered");
        }
        if (key == null || key.isEmpty()) {
            throw new AccessDeniedException(401, "missing_key",
                    "send the study's write key as the 'key' query parameter");
        }
        if (!constantTimeEquals(registered.writeKey(), key)) {
            throw new AccessDeniedException(401, "invalid_key", "the write key does not belong to study '" + study + "'");
        }
        List<String> origins = registered.origins().orElse(List.of());
        if (origin != null && !origins.contains("*") && !origins.contains(origin)) {
            throw new AccessDeniedException(403, "origin_not_allowed",
                    "origin " + origin + " may not post to study '" + study + "'");
        }
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
