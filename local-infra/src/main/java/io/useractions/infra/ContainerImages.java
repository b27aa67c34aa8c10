package io.useractions.infra;

/** The images of docker-compose.yml, which the Testcontainers servers use too (deploy-checks compares them). */
public final class ContainerImages {
    public static final String KAFKA = "apache/kafka:4.1.2";
    public static final String POSTGRES = "postgres:16";
    public static final String REDIS = "redis:7";

    private ContainerImages() {
    }
}
