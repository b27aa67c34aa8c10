package io.useractions.ingest.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.useractions.ingest.config.IngestConfig;

/**
 * Token buckets per client address and per write key, in memory (each replica limits on its own). A
 * write key is public, so these bounds are what stops one page or one script from flooding a study.
 */
@ApplicationScoped
public class RateLimiter {
    private static final long IDLE_NANOS = 60_000_000_000L;

    private final IngestConfig.RateLimit config;
    private final Map<String, Bucket> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Bucket> byKey = new ConcurrentHashMap<>();

    public RateLimiter(IngestConfig config) {
        this.config = config.rateLimit();
    }

    /** Takes one request from both buckets, or throws a 429 naming the limit. */
    public void acquire(String address, String key) {
        if (!config.enabled()) {
            return;
        }
        long now = System.nanoTime();
        take(byAddress, address, config.perAddress(), config.perAddressBurst(), now, "client address");
        if (key != null && !key.isEmpty()) {
            take(byKey, key, config.perKey(), config.perKeyBurst(), now, "write key");
        }
    }

    private static void take(Map<String, Bucket> buckets, String id, int perSecond, int burst, long now,
            String what) {
        Bucket bucket = buckets.computeIfAbsent(id, ignored -> new Bucket(burst, now));
        long waitNanos = bucket.take(perSecond, burst, now);
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw new AccessDeniedException(429, "rate_limited",
                    "more than " + perSecond + " requests per second from this " + what, seconds);
        }
    }

    @Scheduled(every = "60s")
    void evictIdle() {
        long now = System.nanoTime();
        byAddress.values().removeIf(bucket -> bucket.idleSince(now) > IDLE_NANOS);
        byKey.values().removeIf(bucket -> bucket.idleSince(now) > IDLE_NANOS);
    }

    static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.last = now;
        }

        /** 0 when a token was taken, else the nanoseconds until one is there. */
        synchronized long take(int perSecond, int burst, long now) {
            // In double: the idle nanoseconds times a high limit overflow a long (at 10^8/s within 92 s).
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) ((1 - tokens) * 1e9 / perSecond);
        }

        synchronized long idleSince(long now) {
            return now - last;
        }
    }
}
