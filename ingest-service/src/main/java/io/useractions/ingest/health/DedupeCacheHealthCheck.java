package io.useractions.ingest.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.useractions.ingest.dedupe.DedupeCache;

/**
 * Reports Redis in the readiness answer without failing it: the service accepts and stores actions
 * without Redis (only dedupe is lost), so taking it out of a load balancer would lose more than it saves.
 */
@Readiness
@ApplicationScoped
public class DedupeCacheHealthCheck implements AsyncHealthCheck {
    private final DedupeCache cache;

    public DedupeCacheHealthCheck(DedupeCache cache) {
        this.cache = cache;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> cache.ping().toCompletionStage())
                .map(up -> HealthCheckResponse.named("redis-dedupe-cache").up()
                .withData("redis", up ? "up" : "down")
                .withData("dedupe", up ? "active" : "bypassed")
                .build());
    }
}
