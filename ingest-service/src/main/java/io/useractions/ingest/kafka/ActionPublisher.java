package io.useractions.ingest.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.useractions.ingest.Deadline;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.RecordHeaders;
import io.useractions.model.crypto.SealedRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.future.PromiseInternal;

/**
 * Produces a batch's raw records to the raw topic and completes only when Kafka acknowledged every one
 * (acks=all).
 *
 * <p>The outgoing channel {@value #CHANNEL} is configured and owned by SmallRye Reactive Messaging; a
 * whole batch goes to its producer in one task on a sending thread of its own, with a plain callback per
 * record, and the acknowledgement comes back to the request's event loop. {@code send} can block (for
 * topic metadata, up to {@code max.block.ms}), hence never on the event loop. A message per action through
 * the emitter cost a thread hop, a Mutiny pipeline and a context-propagation wrapper for every action, which
 * bounded ingest at about a fifth of what the producer can do; the connector's own sending thread
 * ({@code runOnSendingThread}) still cost a Mutiny pipeline per batch (see docs/benchmarks.md).
 */
@ApplicationScoped
public class ActionPublisher {
    public static final String CHANNEL = "ui-actions";

    private static final List<Header> SCHEMA_V2 = List.of(
            new RecordHeader(RecordHeaders.SCHEMA, RecordHeaders.SCHEMA_V2.getBytes(StandardCharsets.UTF_8)));
    private static final List<Header> SCHEMA_SEALED = List.of(
            new RecordHeader(RecordHeaders.SCHEMA, RecordHeaders.SCHEMA_SEALED.getBytes(StandardCharsets.UTF_8)));

    private final KafkaClientService clients;
    private final Vertx vertx;
    private final IngestConfig config;
    private final String topic;
    /** One thread, so that a session's batches are sent in the order they were accepted. */
    private final ExecutorService sending = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "ual-kafka-send");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Read and written on the sending thread only. */
    private Producer<String, byte[]> producer;
    /** When the last failure happened, and when the request that failed had started. */
    private volatile long failedAt;
    private volatile long succeededStartAt;

    /**
     * The emitter is only injected so that the channel, and with it the connector's producer, exists;
     * records are sent through that producer, never through the emitter.
     */
    public ActionPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> channel, KafkaClientService clients, Vertx vertx,
            IngestConfig config, @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic") String topic) {
        this.clients = clients;
        this.vertx = vertx;
        this.config = config;
        this.topic = topic;
    }

    /**
     * Sends every record (holding {@code actions} actions in all) keyed by session, so a session keeps its
     * order within one partition. Work is bounded: past {@code max-in-flight-actions}, or right after Kafka
     * failed to acknowledge, the answer is an immediate failure (503) rather than a longer queue.
     */
    public Future<Void> publish(String session, List<byte[]> records, int actions) {
        if (records.isEmpty()) {
            return Future.succeededFuture();
        }
        long startedAt = System.nanoTime();
        if (failedAt > succeededStartAt && startedAt - failedAt < config.failFastWindow().toNanos()) {
            return Future.failedFuture(new PublishException("Kafka is unavailable"));
        }
        int size = actions;
        if (inFlight.addAndGet(size) > config.maxInFlightActions()) {
            inFlight.addAndGet(-size);
            return Future.failedFuture(new PublishException("too many actions are waiting for Kafka"));
        }
        // Acknowledgements arrive on the producer's network thread; the promise's listeners run on the
        // request's own event loop.
        ContextInternal context = Deadline.context(vertx);
        PromiseInternal<Void> acked = context.promise();
        try {
            sending.execute(() -> sendAll(session, records, acked));
        } catch (RejectedExecutionException e) {
            acked.tryFail(e);
        }
        return Deadline.within(context, acked.future(), config.ackTimeout(),
                () -> new PublishException("Kafka did not acknowledge within " + config.ackTimeout().toMillis() + " ms"))
                .transform(ended -> {
                    inFlight.addAndGet(-size);
                    if (ended.succeeded()) {
                        succeededStartAt = Math.max(succeededStartAt, startedAt);
                        return Future.succeededFuture();
                    }
                    if (startedAt > succeededStartAt) {
                        // A request older than the last success failing late says nothing about Kafka now.
                        failedAt = System.nanoTime();
                    }
                    Throwable failure = ended.cause();
                    return Future.failedFuture(failure instanceof PublishException ? failure : new PublishException(failure));
                });
    }

    /** On the sending thread: one send per record; the first refusal fails the batch and stops it. */
    private void sendAll(String session, List<byte[]> records, PromiseInternal<Void> acked) {
        AtomicInteger pending = new AtomicInteger(records.size());
        for (byte[] value : records) {
            if (acked.future().isComplete()) {
                return;
            }
            try {
                producer().send(new ProducerRecord<>(topic, null, session, value,
                        SealedRecords.isSealed(value) ? SCHEMA_SEALED : SCHEMA_V2), (metadata, error) -> {
                    if (error != null) {
                        acked.tryFail(error);
                    } else if (pending.decrementAndGet() == 0) {
                        acked.tryComplete();
                    }
                });
            } catch (RuntimeException e) {
                acked.tryFail(e);
                return;
            }
        }
    }

    /** The connector's Kafka producer, created (on its own sending thread) by the first call. */
    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> current = producer;
        if (current == null) {
            KafkaProducer<String, byte[]> connector = clients.getProducer(CHANNEL);
            current = connector.runOnSendingThread(kafka -> kafka).await().indefinitely();
            producer = current;
        }
        return current;
    }

    @PreDestroy
    void stop() {
        sending.shutdown();
    }
}
