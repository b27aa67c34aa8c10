package io.useractions.infra;

import java.nio.file.Path;

/** A packaged Quarkus app and where it answers once it is ready. */
public record ServiceSpec(String name, Path jar, int port, String healthPath) {

    public static final String QUARKUS_READY = "/q/health/ready";

    /** The jar that quarkus:build writes for a module in fast-jar layout. */
    public static Path quarkusJar(Path home, String module) {
        return home.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }
}
