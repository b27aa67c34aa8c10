package io.useractions.ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateLimiterBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void emptyBucketRefusesUntilItRefills() {
        RateLimiter.Bucket bucket = new RateLimiter.Bucket(2, 0);
        assertEquals(0, bucket.take(100, 2, 0));
        assertEquals(0, bucket.take(100, 2, 0));
        assertEquals(SECOND / 100, bucket.take(100, 2, 0), "one token is 10 ms away");
        assertEquals(0, bucket.take(100, 2, SECOND / 50), "20 ms later it holds two");
    }

    @Test
    void highLimitBucketIdleForMinutesIsFullNotOverflowed() {
        // The benchmark lifts the limits to 10^8/s; 100 s idle times that overflowed a long and refused with 429.
        int limit = 100_000_000;
        RateLimiter.Bucket bucket = new RateLimiter.Bucket(limit, 0);
        assertEquals(0, bucket.take(limit, limit, 0));
        assertEquals(0, bucket.take(limit, limit, 100 * SECOND));
        assertEquals(0, bucket.take(limit, limit, 200 * SECOND));
    }
}
