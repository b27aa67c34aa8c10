package io.useractions.processor.topology;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Replaces a stream thread that died instead of shutting Kafka Streams down, Kafka's default. A broker
 * restart can fail a transaction's commit ({@code InvalidTxnStateException}); with exactly-once a new
 * thread starts a new producer and resumes from the last committed offsets, so nothing is lost or
 * routed twice. Quarkus sets this bean on Kafka Streams before it starts. A thread that keeps dying
 * (more than {@link #MAX_REPLACEMENTS} in {@link #WINDOW}) is a fault a new thread will not cure: then
 * the client shuts down, its liveness check fails and the process is restarted.
 */
@ApplicationScoped
public class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {
    static final int MAX_REPLACEMENTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(StreamThreadRecovery.class);

    private final Deque<Long> replacements = new ArrayDeque<>();
    private final LongSupplier clock;
    private final Counter replaced;

    @Inject
    public StreamThreadRecovery(MeterRegistry registry) {
        this(System::nanoTime, Counter.builder("ual.processor.streams.threads.replaced")
                .description("Stream threads that died and were replaced").register(registry));
    }

    StreamThreadRecovery(LongSupplier clock, Counter replaced) {
        this.clock = clock;
        this.replaced = replaced;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = clock.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > WINDOW.toNanos()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            LOG.errorf(exception, "A stream thread died for the %d. time within %s; shutting Kafka Streams down",
                    replacements.size() + 1, WINDOW);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        replaced.increment();
        LOG.warnf(exception, "A stream thread died; replacing it (it resumes from the last committed offsets)");
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
