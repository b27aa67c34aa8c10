package io.useractions.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Memory limits and JVM options are the same for a service wherever it runs (compose, every overlay,
 * the Dockerfile's default), so that a tuned value changed in one place and forgotten in another fails;
 * PostgreSQL's resources keep up with the processor replicas by docs/deploy.md's figures.
 */
class SizingTest {
    private static final Repo REPO = Repo.find();

    /** service → "memory limit in bytes | JAVA_OPTS", per place. */
    private static Map<String, Map<String, String>> sizing() {
        Map<String, Map<String, String>> byService = new LinkedHashMap<>();
        ComposeChecks compose = new ComposeChecks(REPO, REPO.read("docker-compose.yml"), REPO.read(".env.example"));
        compose.appServices().forEach((name, module) -> {
            if (name.equals(module.artifactId())) {
                Object memory = Yamls.at(compose.service(name), "deploy", "resources", "limits", "memory");
                String limit = memory == null ? "none" : String.valueOf(K8s.bytes(String.valueOf(memory).replace("M", "Mi").replace("G", "Gi")));
                byService.computeIfAbsent(module.artifactId(), k -> new LinkedHashMap<>())
                        .put("docker-compose.yml", limit + " | " + compose.environment(name).get("JAVA_OPTS"));
            }
        });
        for (String overlay : Overlays.names(REPO)) {
            List<Map<String, Object>> objects = Overlays.render(REPO, overlay);
            KubeChecks checks = Overlays.checks(REPO, overlay, objects);
            for (Map<String, Object> workload : checks.workloads()) {
                for (Map<String, Object> container : K8s.containers(workload)) {
                    checks.serviceOf(container).ifPresent(module -> {
                        Object memory = Yamls.at(container, "resources", "limits", "memory");
                        KubeChecks.EnvValue opts = checks.environment(container).get("JAVA_OPTS");
                        byService.computeIfAbsent(module.artifactId(), k -> new LinkedHashMap<>())
                                .put(overlay + " " + K8s.id(workload), (memory == null ? "none" : K8s.bytes(String.valueOf(memory)))
                                        + " | " + (opts == null ? null : opts.value()));
                    });
                }
            }
        }
        return byService;
    }

    @Test
    void memoryAndJvmOptionsAgreeEverywhere() {
        sizing().forEach((service, places) -> {
            String expected = places.get("docker-compose.yml");
            places.forEach((place, value) -> assertEquals(expected, value,
                    service + " in " + place + " differs from docker-compose.yml: " + places));
        });
    }

    @Test
    void dockerfileDefaultsAreTheSameJvmOptions() {
        ComposeChecks compose = new ComposeChecks(REPO, REPO.read("docker-compose.yml"), REPO.read(".env.example"));
        for (String artifactId : Repo.SERVICES) {
            String env = REPO.service(artifactId).dockerfileInstructions("ENV");
            assertEquals(true, env.contains("JAVA_OPTS=\"" + compose.environment(artifactId).get("JAVA_OPTS") + "\""),
                    artifactId + "'s Dockerfile ENV " + env);
        }
    }

    @Test
    void postgresKeepsUpWithTheProcessors() {
        for (String overlay : Overlays.names(REPO)) {
            List<String> problems = DatabaseSizing.check(Overlays.render(REPO, overlay), REPO.read("docs/deploy.md"));
            assertEquals(List.of(), problems, overlay + ": " + String.join("\n", problems));
        }
        assertTrue(K8s.find(Overlays.render(REPO, "prod"), "Cluster", "ual-postgres").isPresent(), "prod's database is sized");
    }

    @Test
    void postgresTooSmallForTheProcessorsFails() {
        List<Map<String, Object>> prod = Overlays.render(REPO, "prod");
        Yamls.map(Yamls.at(K8s.find(prod, "Cluster", "ual-postgres").orElseThrow(), "spec", "resources", "requests"))
                .put("cpu", "500m");
        String problems = String.join("\n", DatabaseSizing.check(prod, REPO.read("docs/deploy.md")));
        assertTrue(problems.contains("Cluster ual-postgres requests 500m CPU, but 3 processor replicas (45000 actions/s by the "
                + "replica rule) need 3000m of PostgreSQL"), problems);
        assertTrue(problems.contains("docs/deploy.md's Sizing table says PostgreSQL 1Gi, 3,"), problems);
    }

    @Test
    void moreProcessorsWithoutMorePostgresFails() {
        List<Map<String, Object>> prod = Overlays.render(REPO, "prod");
        Yamls.map(K8s.find(prod, "StatefulSet", "ual-processor").orElseThrow().get("spec")).put("replicas", 5);
        String problems = String.join("\n", DatabaseSizing.check(prod, REPO.read("docs/deploy.md")));
        assertTrue(problems.contains("5 processor replicas (75000 actions/s by the replica rule) need 5000m"), problems);
    }

    @Test
    void docsThatNoLongerStateTheRuleFail() {
        String docs = REPO.read("docs/deploy.md").replace("core per processor replica", "core per processor");
        String problems = String.join("\n", DatabaseSizing.check(Overlays.render(REPO, "prod"), docs));
        assertTrue(problems.contains("docs/deploy.md states no"), problems);
    }
}
