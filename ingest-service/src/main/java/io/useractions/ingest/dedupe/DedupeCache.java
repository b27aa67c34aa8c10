package io.useractions.ingest.dedupe;

import java.nio.ByteBuffer;
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
import io.vertx.mutiny.redis.client.Response;

/**
 * Short-term memory of action ids, kept in Redis. It is only an optimisation: the database dedupes by
 * id whatever happens here, so every Redis failure degrades to "nothing seen" and never to a lost
 * action or an error for the client.
 *
 * <p>Ids are members (16 raw bytes each) of one Redis set per time bucket of the TTL's length; a lookup
 * asks the current and the previous bucket, so an id counts as seen for at least the TTL and at most
 * twice it. That is a handful of commands per batch ({@code SMISMEMBER} ×2, then {@code SADD} and
 * {@code PEXPIRE}) instead of one key per action, and about half the memory of a key per id.
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

    /** The ids among {@code ids} seen in the last TTL (at most two): one round trip. */
    public Uni<Set<UUID>> seen(List<UUID> ids) {
        if (!config.enabled() || ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        long bucket = bucket(System.currentTimeMillis());
        List<Request> lookups = List.of(members(Command.SMISMEMBER, bucket, ids), members(Command.SMISMEMBER, bucket - 1, ids));
        return guard(redis.batch(lookups))
                .map(responses -> {
                    if (responses == null) {
                        return Set.<UUID>of();
                    }
                    Set<UUID> seen = new HashSet<>();
                    for (Response response : responses) {
                        for (int i = 0; i < ids.size(); i++) {
                            if (response.get(i).toInteger() == 1) {
                                seen.add(ids.get(i));
                            }
                        }
                    }
                    return seen;
                });
    }

    /** The duplicates dropped from one batch of a session. */
    public record Dropped(String study, String participant, String session, int count) {
    }

    /**
     * Marks ids as seen (one SADD to the current bucket and its expiry) and adds the batch's dropped
     * duplicates to its session's count, pipelined; failures are counted, never raised.
     */
    public Uni<Void> remember(List<UUID> ids, Dropped dropped) {
        if (!config.enabled() || ids.isEmpty() && dropped.count() == 0) {
            return Uni.createFrom().voidItem();
        }
        List<Request> requests = new ArrayList<>(4);
        if (!ids.isEmpty()) {
            long bucket = bucket(System.currentTimeMillis());
            long expireAt = (bucket + 2) * config.ttl().toMillis();
            requests.add(members(Command.SADD, bucket, ids));
            requests.add(Request.cmd(Command.PEXPIREAT).arg(key(bucket)).arg(expireAt));
        }
        if (dropped.count() > 0) {
            String key = config.droppedKeyPrefix() + dropped.study();
            requests.add(Request.cmd(Command.HINCRBY).arg(key).arg(dropped.participant() + "/" + dropped.session())
                    .arg(dropped.count()));
            requests.add(Request.cmd(Command.PEXPIRE).arg(key).arg(config.droppedTtl().toMillis()));
        }
        return guard(redis.batch(requests)).replaceWithVoid();
    }

    private long bucket(long epochMillis) {
        return epochMillis / config.ttl().toMillis();
    }

    private String key(long bucket) {
        return config.keyPrefix() + bucket;
    }

    private Request members(Command command, long bucket, List<UUID> ids) {
        Request request = Request.cmd(command).arg(key(bucket));
        for (UUID id : ids) {
            request.arg(bytes(id));
        }
        return request;
    }

    static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
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
