package io.useractions.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The overlays under deploy/overlays (every directory with a kustomization.yaml), rendered once per JVM. */
final class Overlays {
    private static final Map<Path, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    static List<String> names(Repo repo) {
        try (Stream<Path> dirs = Files.list(repo.path("deploy/overlays"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh copy of the overlay's objects, which a test may change. */
    static List<Map<String, Object>> render(Repo repo, String overlay) {
        Path dir = repo.path("deploy/overlays/" + overlay);
        return Yamls.copy(RENDERED.computeIfAbsent(dir, Kustomize::render));
    }

    static KubeChecks checks(Repo repo, String overlay, List<Map<String, Object>> objects) {
        return new KubeChecks(repo, "overlays/" + overlay, objects,
                KubeChecks.ExternalSecrets.fromDocs(repo.read("docs/deploy.md")));
    }
}
