package io.useractions.bench;

import java.net.URI;
import java.util.List;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The dedupe cache's Redis as the benchmark sees it: its evictions, from {@code INFO stats} (an ingest step
 * during which Redis evicted a bucket of ids measured a Redis that was full, and stalled while it freed the
 * set), the size of its largest dedupe set (a step in which a set passed a power of two measured Redis
 * moving it into a hash table twice the size), and its {@code maxmemory}, sized for the run.
 */
final class RedisStats {
    private static final String EVICTED = "evicted_keys:";
    /** The ingest's dedupe sets ({@code ual.ingest.dedupe.key-prefix}), one per session and time bucket. */
    private static final String DEDUPE_SETS = "ual:seen:*";
    /** Below this many members, moving a set into a larger table is over well within a second. */
    static final long NOTED_TABLE = 1L << 21;

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

    /** Members of the largest dedupe set at {@code url}, or -1 when it cannot be read. */
    static long largestDedupeSet(String url) {
        try (Jedis redis = connect(url)) {
            long largest = 0;
            ScanParams match = new ScanParams().match(DEDUPE_SETS).count(100);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                Pipeline sizes = redis.pipelined();
                List<Response<Long>> members = page.getResult().stream().map(sizes::scard).toList();
                sizes.sync();
                for (Response<Long> set : members) {
                    largest = Math.max(largest, set.get());
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return largest;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * The power of two (at least {@link #NOTED_TABLE}) that a set growing from {@code before} to {@code after}
     * members passed, or 0. Redis doubles a set's hash table when a member is added to a set as large as its
     * table (a power of two), then moves the members into the new table a bucket at a time, one with each member a command
     * looks up or adds, so that each command costs more until the move is over: seconds for millions.
     */
    static long tableReached(long before, long after) {
        if (before < 0 || after <= before) {
            return 0;
        }
        // The table doubles as the member after a power of two is added.
        long reached = Long.highestOneBit(after - 1);
        return reached >= before && reached >= NOTED_TABLE ? reached : 0;
    }
}
