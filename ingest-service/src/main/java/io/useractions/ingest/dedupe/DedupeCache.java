package io.useractions.ingest.dedupe;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.useractions.ingest.Deadline;
import io.useractions.ingest.config.IngestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Short-term memory of action ids, kept in Redis. It is only an optimisation: the database dedupes by
 * id whatever happens here, so every Redis failure degrades to "nothing seen" and never to a lost
 * action or an error for the client.
 *
 * <p>Ids are members (16 raw bytes each) of one Redis set per session and time bucket of the TTL's length
 * ({@code <prefix><session>:<bucket>}); a lookup asks the session's current and previous bucket, so an id
 * counts as seen for at least the TTL and at most twice it. That is a handful of commands per batch
 * ({@code SMISMEMBER} ×2, then {@code SADD} and {@code PEXPIREAT}) instead of one key per action, and about
 * half the memory of a key per id. A retry repeats its session, so a set per session finds every duplicate
 * the cache is for (an id sent again under another session is left to the tables, which dedupe by id). Sets
 * per session rather than one per bucket stay small: Redis grows each one's hash table in steps too small
 * to notice, where one set of millions of ids made every command on it dearer for seconds at each
 * doubling; and {@code maxmemory} evicts an idle session's set, not a whole bucket.
 *
 * <p>An id is written only after Kafka acknowledged its action ({@link #remember}); marking ids before
 * producing would turn a failed produce into a dropped retry.
 *
 * <p>Calls go through the plain Vert.x client and complete on the caller's event loop: the Mutiny client
 * added a context-propagation wrapper to every step of every call.
 */
@ApplicationScoped
public class DedupeCache {
    private static final Logger LOG = Logger.getLogger(DedupeCache.class);

    private final Redis redis;
    private final Vertx vertx;
    private final IngestConfig.Dedupe config;
    private final Counter unavailable;
    private volatile boolean lastCallFailed;

    public DedupeCache(Redis redis, Vertx vertx, IngestConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.vertx = vertx;
        this.config = config.dedupe();
        this.unavailable = Counter.builder("ual.ingest.dedupe.unavailable")
                .description("Redis calls that failed or timed out; the batch went on without dedupe")
                .register(registry);
    }

    /** The ids among {@code ids}, of {@code session}, seen in the last TTL (at most two): one round trip. Never fails. */
    public Future<Set<UUID>> seen(String session, List<UUID> ids) {
        if (!config.enabled() || ids.isEmpty()) {
            return Future.succeededFuture(Set.of());
        }
        long bucket = bucket(System.currentTimeMillis());
        List<byte[]> members = bytes(ids);
        List<Request> lookups = List.of(members(Command.SMISMEMBER, session, bucket, members),
                members(Command.SMISMEMBER, session, bucket - 1, members));
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
     * Marks ids of the session {@code dropped} names as seen (one SADD to its current bucket and its expiry)
     * and adds the batch's dropped duplicates to the session's count, pipelined; failures are counted, never
     * raised.
     */
    public Future<Void> remember(List<UUID> ids, Dropped dropped) {
        if (!config.enabled() || ids.isEmpty() && dropped.count() == 0) {
            return Future.succeededFuture();
        }
        List<Request> requests = new ArrayList<>(4);
        if (!ids.isEmpty()) {
            long bucket = bucket(System.currentTimeMillis());
            long expireAt = (bucket + 2) * config.ttl().toMillis();
            requests.add(members(Command.SADD, dropped.session(), bucket, bytes(ids)));
            requests.add(Request.cmd(Command.PEXPIREAT).arg(key(dropped.session(), bucket)).arg(expireAt));
        }
        if (dropped.count() > 0) {
            String key = config.droppedKeyPrefix() + dropped.study();
            requests.add(Request.cmd(Command.HINCRBY).arg(key).arg(dropped.participant() + "/" + dropped.session())
                    .arg(dropped.count()));
            requests.add(Request.cmd(Command.PEXPIRE).arg(key).arg(config.droppedTtl().toMillis()));
        }
        return guard(redis.batch(requests)).mapEmpty();
    }

    private long bucket(long epochMillis) {
        return epochMillis / config.ttl().toMillis();
    }

    private String key(String session, long bucket) {
        return config.keyPrefix() + session + ':' + bucket;
    }

    /** The client keeps each argument as it is until it writes the command, so both lookups share them. */
    private Request members(Command command, String session, long bucket, List<byte[]> members) {
        Request request = Request.cmd(command).arg(key(session, bucket));
        for (byte[] member : members) {
            request.arg(member);
        }
        return request;
    }

    private static List<byte[]> bytes(List<UUID> ids) {
        List<byte[]> members = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            members.add(bytes(id));
        }
        return members;
    }

    static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    /** The call's answer, or null once it failed or took longer than the timeout. */
    private <T> Future<T> guard(Future<T> call) {
        return Deadline.within(Deadline.context(vertx), call, config.timeout(),
                () -> new TimeoutException("no answer from Redis within " + config.timeout().toMillis() + " ms"))
                .transform(ended -> {
                    if (ended.succeeded()) {
                        lastCallFailed = false;
                        return Future.succeededFuture(ended.result());
                    }
                    unavailable.increment();
                    if (!lastCallFailed) {
                        LOG.warnf("Redis unavailable, accepting actions without dedupe: %s", ended.cause().toString());
                    }
                    lastCallFailed = true;
                    return Future.succeededFuture();
                });
    }

    /** Answers a readiness probe: PING with the usual timeout. */
    public Future<Boolean> ping() {
        return guard(redis.send(Request.cmd(Command.PING))).map(response -> response != null);
    }
}
