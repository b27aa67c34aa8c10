package io.useractions.ingest.dedupe;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.useractions.ingest.config.IngestConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Short-term memory of action ids, kept in Redis. It is only an optimisation: the database dedupes by
 * id whatever happens here, so every Redis failure degrades to "nothing seen" and never to a lost
 * action or an error for the client.
 *
 * <p>An id is written only after Kafka acknowledged its action ({@link #remember}); marking ids before
 * producing would turn a failed produce into a dropped retry.
 */
@ApplicationScoped
public class DedupeCache {
    private static final Logger LOG = Logger.getLogger(DedupeCache.class);

    private final Redis redis;
    private final IngestConfig.Dedupe config;
    private final Counter unavailable;
    private volatile boolean lastCallFailed;

    public DedupeCache(Redis redis, IngestConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.config = config.dedupe();
        this.unavailable = Counter.builder("ual.ingest.dedupe.unavailable")
                .description("Redis calls that failed or timed out; the batch went on without dedupe")
                .register(registry);
    }

    /** The ids among {@code ids} seen in the last TTL: one MGET, one round trip. */
    public Uni<Set<UUID>> seen(List<UUID> ids) {
        if (!config.enabled()) {
            return Uni.createFrom().item(Set.of());
        }
        Request mget = Request.cmd(Command.MGET);
        for (UUID id : ids) {
            mget.arg(config.keyPrefix() + id);
        }
        return guard(redis.send(mget))
                .map(response -> {
                    if (response == null) {
                        return Set.<UUID>of();
                    }
                    Set<UUID> seen = new HashSet<>();
                    for (int i = 0; i < ids.size(); i++) {
                        if (response.get(i) != null) {
                            seen.add(ids.get(i));
                        }
                    }
                    return seen;
                });
    }

    /** Marks ids as seen with one pipelined batch of SET ... PX; failures are counted, never raised. */
    public Uni<Void> remember(List<UUID> ids) {
        if (!config.enabled() || ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String ttl = Long.toString(config.ttl().toMillis());
        List<Request> sets = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            sets.add(Request.cmd(Command.SET).arg(config.keyPrefix() + id).arg("1").arg("PX").arg(ttl));
        }
        return guard(redis.batch(sets)).replaceWithVoid();
    }

    private <T> Uni<T> guard(Uni<T> call) {
        return call.ifNoItem().after(config.timeout()).fail()
                .invoke(ignored -> lastCallFailed = false)
                .onFailure().recoverWithItem(failure -> {
                    unavailable.increment();
                    if (!lastCallFailed) {
                        LOG.warnf("Redis unavailable, accepting actions without dedupe: %s", failure.toString());
                    }
                    lastCallFailed = true;
                    return null;
                });
    }

    /** Answers a readiness probe: PING with the usual timeout. */
    public Uni<Boolean> ping() {
        return guard(redis.send(Request.cmd(Command.PING))).map(response -> response != null);
    }
}
