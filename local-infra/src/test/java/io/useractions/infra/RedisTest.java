package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisTest {

    private static Redis redis;

    @BeforeAll
    static void startRedis() {
        redis = Redis.builder().dir(TestDirs.fresh("redis")).port(0).build().start();
    }

    @AfterAll
    static void stopRedis() {
        redis.stop();
    }

    @Test
    void keySetWithTtlIsReadBackAndThenExpires() throws Exception {
        try (Resp resp = new Resp("127.0.0.1", redis.port())) {
            assertEquals("OK", resp.call("SET", "event:1", "seen", "PX", "400"));
            assertEquals("seen", resp.call("GET", "event:1"));
            long ttl = (Long) resp.call("PTTL", "event:1");
            assertTrue(ttl > 0 && ttl <= 400, "ttl " + ttl);
            Thread.sleep(600);
            assertNull(resp.call("GET", "event:1"));
        }
    }

    @Test
    void runsAsBoundedCacheWithoutPersistence() throws Exception {
        try (Resp resp = new Resp("127.0.0.1", redis.port())) {
            assertEquals(List.of("maxmemory", "268435456"), resp.call("CONFIG", "GET", "maxmemory"));
            assertEquals(List.of("maxmemory-policy", "volatile-ttl"), resp.call("CONFIG", "GET", "maxmemory-policy"));
            assertEquals(List.of("save", ""), resp.call("CONFIG", "GET", "save"));
            assertEquals(List.of("appendonly", "no"), resp.call("CONFIG", "GET", "appendonly"));
            assertEquals(List.of("bind", "127.0.0.1"), resp.call("CONFIG", "GET", "bind"));
        }
        assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
    }

    @Test
    void stopsAndStartsAgainOnTheSamePort() throws Exception {
        redis.stop();
        assertFalse(redis.isRunning());
        assertFalse(Ports.isListening(redis.port()));
        redis.start();
        try (Resp resp = new Resp("127.0.0.1", redis.port())) {
            assertEquals("PONG", resp.call("PING"));
        }
    }
}
