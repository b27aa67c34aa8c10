package io.useractions.ingest.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.useractions.ingest.access.StudyPoller;
import io.useractions.ingest.access.StudyRegistry;

/**
 * Reports where the studies come from without failing readiness: while PostgreSQL cannot be read the
 * service keeps serving with the last studies it read, which is better than refusing every batch.
 */
@Readiness
@ApplicationScoped
public class StudySourceHealthCheck implements HealthCheck {
    @Inject
    StudyPoller poller;
    @Inject
    StudyRegistry registry;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("studies").up()
                .withData("studies", registry.snapshot().studies().size())
                .withData("withdrawn_participants", registry.snapshot().withdrawn().size());
        if (!poller.enabled()) {
            return response.withData("database", "not used").build();
        }
        StudyPoller.Status status = poller.status();
        Instant last = status.lastRead();
        response.withData("database", status.lastError() == null && last != null ? "up" : "down")
                .withData("last_read_ago_ms", last == null ? -1 : Duration.between(last, Instant.now()).toMillis());
        if (status.lastError() != null) {
            response.withData("error", status.lastError());
        }
        return response.build();
    }
}
