package io.useractions.infra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import io.useractions.testing.TestDirs;

class RedisTest {

    private static Redis redis;

    @BeforeAll
    static void startRedis() {
        redis = new Redis(TestDirs.fresh("redis"), 0).start();
    }

    @AfterAll
    static void stopRedis() {
        redis.stop();
    }

    @Test
    void keySetWithTtlIsReadBackAndThenExpires() {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals("OK", jedis.set("event:1", "seen", SetParams.setParams().px(400)));
            assertEquals("seen", jedis.get("event:1"));
            long ttl = jedis.pttl("event:1");
            assertTrue(ttl > 0 && ttl <= 400, "ttl " + ttl);
            await("event:1 to expire").atMost(Duration.ofSeconds(1)).until(() -> jedis.get("event:1") == null);
        }
    }

    @Test
    void runsAsBoundedCacheWithoutPersistence() {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals(Map.of("maxmemory", "268435456"), jedis.configGet("maxmemory"));
            assertEquals(Map.of("maxmemory-policy", "volatile-ttl"), jedis.configGet("maxmemory-policy"));
            assertEquals(Map.of("lazyfree-lazy-eviction", "yes"), jedis.configGet("lazyfree-lazy-eviction"));
            assertEquals(Map.of("lazyfree-lazy-expire", "yes"), jedis.configGet("lazyfree-lazy-expire"));
            assertEquals(Map.of("save", ""), jedis.configGet("save"));
            assertEquals(Map.of("appendonly", "no"), jedis.configGet("appendonly"));
            assertEquals(Map.of("bind", "127.0.0.1"), jedis.configGet("bind"));
        }
        assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
    }

    @Test
    void stopsAndStartsAgainOnTheSamePort() {
        redis.stop();
        assertFalse(redis.isRunning());
        assertFalse(Ports.isListening(redis.port()));
        redis.start();
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals("PONG", jedis.ping());
        }
    }
}
