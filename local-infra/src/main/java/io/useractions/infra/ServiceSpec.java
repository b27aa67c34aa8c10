package io.useractions.infra;

import java.nio.file.Path;
import java.util.List;

/** A packaged Quarkus app and where it answers once it is ready. */
public record ServiceSpec(String name, Path jar, int port, String healthPath) {

    public static final String QUARKUS_READY = "/q/health/ready";

    /** The jar that quarkus:build writes for a module in fast-jar layout. */
    public static Path quarkusJar(Path home, String module) {
        return home.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** The four apps of the pipeline; the study app has no health endpoint, so its page is the probe. */
    public static List<ServiceSpec> pipeline(Path home, int ingestPort, int processorPort, int studyAppPort,
            int consolePort) {
        return List.of(
                new ServiceSpec("ingest-service", quarkusJar(home, "ingest-service"), ingestPort, QUARKUS_READY),
                new ServiceSpec("stream-processor", quarkusJar(home, "stream-processor"), processorPort, QUARKUS_READY),
                new ServiceSpec("study-app", quarkusJar(home, "study-app"), studyAppPort, "/"),
                new ServiceSpec("console", quarkusJar(home, "console"), consolePort, QUARKUS_READY));
    }
}
