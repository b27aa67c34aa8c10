package io.useractions.processor.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.useractions.processor.projection.PostgresSink;

/**
 * The PostgreSQL sink's threads are alive; Kafka Streams and the datasource report their own health. The
 * data tells a stuck loop (the last poll long ago) from an idle topic (recent polls, no recent commit).
 */
@Liveness
@Readiness
@ApplicationScoped
public class SinkHealthCheck implements HealthCheck {
    private final PostgresSink sink;

    public SinkHealthCheck(PostgresSink sink) {
        this.sink = sink;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("postgres-sink")
                .status(sink.alive())
                .withData("ms_since_last_poll", sink.millisSinceLastPoll());
        sink.millisSinceLastCommit().ifPresent(ms -> response.withData("ms_since_last_commit", ms));
        return response.build();
    }
}
