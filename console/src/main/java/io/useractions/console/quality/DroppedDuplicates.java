package io.useractions.console.quality;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.useractions.console.config.ConsoleConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The duplicates the ingest service dropped per session, as it counts them in Redis next to its dedupe
 * cache (a hash per study, field {@code participant/session}). Known only while Redis keeps them: null
 * when Redis does not answer, and a count the database cannot re-derive (a replay does not touch it).
 */
@ApplicationScoped
public class DroppedDuplicates {
    private static final Logger LOG = Logger.getLogger(DroppedDuplicates.class);
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final Redis redis;
    private final String keyPrefix;
    private volatile boolean lastCallFailed;

    public DroppedDuplicates(Redis redis, ConsoleConfig config) {
        this.redis = redis;
        this.keyPrefix = config.droppedKeyPrefix();
    }

    /** Per {@code participant/session}, the duplicates dropped; null when unknown. */
    public Map<String, Long> of(String study) {
        try {
            Response hash = redis.send(Request.cmd(Command.HGETALL).arg(keyPrefix + study)).await().atMost(TIMEOUT);
            Map<String, Long> counts = new HashMap<>();
            if (hash != null) {
                for (String field : hash.getKeys()) {
                    counts.put(field, hash.get(field).toLong());
                }
            }
            lastCallFailed = false;
            return counts;
        } catch (RuntimeException e) {
            if (!lastCallFailed) {
                LOG.warnf("Dropped duplicates unknown, Redis did not answer: %s", e.toString());
            }
            lastCallFailed = true;
            return null;
        }
    }
}
