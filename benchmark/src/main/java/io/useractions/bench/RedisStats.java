package io.useractions.bench;

import java.net.URI;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;

/**
 * The dedupe cache's Redis as the benchmark sees it: its evictions, from {@code INFO stats} (an ingest step
 * during which Redis evicted a bucket of ids measured a Redis that was full, and stalled while it freed the
 * set), and its {@code maxmemory}, sized for the run.
 */
final class RedisStats {
    private static final String EVICTED = "evicted_keys:";

    private RedisStats() {
    }

    private static Jedis connect(String url) {
        URI uri = URI.create(url);
        JedisClientConfig config = DefaultJedisClientConfig.builder().timeoutMillis(2000).protocol(RedisProtocol.RESP2)
                .build();
        return new Jedis(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), config);
    }

    /** Sets {@code maxmemory} of the Redis at {@code url}; false when it did not answer OK. */
    static boolean setMaxMemory(String url, String value) {
        try (Jedis redis = connect(url)) {
            return "OK".equals(redis.configSet("maxmemory", value));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code evicted_keys} of the Redis at {@code url} (redis://host:port), or -1 when it cannot be read. */
    static long evictedKeys(String url) {
        try (Jedis redis = connect(url)) {
            return redis.info("stats").lines().filter(line -> line.startsWith(EVICTED))
                    .mapToLong(line -> Long.parseLong(line.substring(EVICTED.length()).trim())).findFirst().orElse(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
