package io.useractions.processor.topology;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class StreamThreadRecoveryTest {
    private final AtomicLong now = new AtomicLong();
    private final Counter replaced = new SimpleMeterRegistry().counter("replaced");
    private final StreamThreadRecovery recovery = new StreamThreadRecovery(now::get, replaced);

    @Test
    void aDeadThreadIsReplacedUntilItKeepsDyingWithinAMinute() {
        InvalidTxnStateException failure = new InvalidTxnStateException("after a broker restart");
        for (int i = 0; i < StreamThreadRecovery.MAX_REPLACEMENTS; i++) {
            assertEquals(REPLACE_THREAD, recovery.handle(failure), "death " + (i + 1));
            now.addAndGet(1_000_000_000L);
        }
        assertEquals(SHUTDOWN_CLIENT, recovery.handle(failure), "the sixth death within a minute");
        assertEquals(StreamThreadRecovery.MAX_REPLACEMENTS, replaced.count());
    }

    @Test
    void deathsFartherApartThanTheWindowAreAlwaysReplaced() {
        for (int i = 0; i < 3 * StreamThreadRecovery.MAX_REPLACEMENTS; i++) {
            assertEquals(REPLACE_THREAD, recovery.handle(new IllegalStateException("death " + i)));
            now.addAndGet(StreamThreadRecovery.WINDOW.toNanos() / (StreamThreadRecovery.MAX_REPLACEMENTS - 1) + 1);
        }
    }
}
