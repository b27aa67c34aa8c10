package io.useractions.ingest.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.RecordHeaders;
import io.useractions.model.crypto.SealedRecords;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Produces a batch's raw records to the raw topic and completes only when Kafka acknowledged every one
 * (acks=all).
 *
 * <p>The outgoing channel {@value #CHANNEL} is configured and owned by SmallRye Reactive Messaging; a
 * whole batch goes to its producer in one task on the connector's sending thread, with a plain callback
 * per record. A message per action through the emitter cost a thread hop, a Mutiny pipeline and a
 * context-propagation wrapper for every action, which bounded ingest at about a fifth of what the
 * producer can do (see docs/benchmarks.md).
 */
@ApplicationScoped
public class ActionPublisher {
    public static final String CHANNEL = "ui-actions";

    private static final List<Header> SCHEMA_V2 = List.of(
            new RecordHeader(RecordHeaders.SCHEMA, RecordHeaders.SCHEMA_V2.getBytes(StandardCharsets.UTF_8)));
    private static final List<Header> SCHEMA_SEALED = List.of(
            new RecordHeader(RecordHeaders.SCHEMA, RecordHeaders.SCHEMA_SEALED.getBytes(StandardCharsets.UTF_8)));

    private final KafkaClientService clients;
    private final IngestConfig config;
    private final String topic;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile KafkaProducer<String, byte[]> producer;
    /** When the last failure happened, and when the request that failed had started. */
    private volatile long failedAt;
    private volatile long succeededStartAt;

    /**
     * The emitter is only injected so that the channel, and with it the connector's producer, exists;
     * records are sent through that producer, never through the emitter.
     */
    public ActionPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> channel, KafkaClientService clients,
            IngestConfig config, @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic") String topic) {
        this.clients = clients;
        this.config = config;
        this.topic = topic;
    }

    /**
     * Sends every record (holding {@code actions} actions in all) keyed by session, so a session keeps its
     * order within one partition. Work is bounded: past {@code max-in-flight-actions}, or right after Kafka
     * failed to acknowledge, the answer is an immediate failure (503) rather than a longer queue.
     */
    public Uni<Void> publish(String session, List<byte[]> records, int actions) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long startedAt = System.nanoTime();
        if (failedAt > succeededStartAt && startedAt - failedAt < config.failFastWindow().toNanos()) {
            return Uni.createFrom().failure(new PublishException("Kafka is unavailable"));
        }
        int size = actions;
        if (inFlight.addAndGet(size) > config.maxInFlightActions()) {
            inFlight.addAndGet(-size);
            return Uni.createFrom().failure(new PublishException("too many actions are waiting for Kafka"));
        }
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Consumer<Producer<String, byte[]>> send = kafka -> sendAll(kafka, session, records, acked);
        producer().runOnSendingThread(send)
                .subscribe().with(ignored -> { }, acked::completeExceptionally);
        // Acknowledgements arrive on the producer's network thread; the rest of the request goes back to its own.
        Context context = Vertx.currentContext();
        Uni<Void> result = Uni.createFrom().completionStage(acked);
        if (context != null) {
            result = result.emitOn(task -> context.runOnContext(ignored -> task.run()));
        }
        return result
                .ifNoItem().after(config.ackTimeout())
                .failWith(() -> new PublishException("Kafka did not acknowledge within "
                        + config.ackTimeout().toMillis() + " ms"))
                .onFailure(failure -> !(failure instanceof PublishException))
                .transform(PublishException::new)
                .onItemOrFailure().invoke((ok, failure) -> {
                    inFlight.addAndGet(-size);
                    if (failure == null) {
                        succeededStartAt = Math.max(succeededStartAt, startedAt);
                    } else if (startedAt > succeededStartAt) {
                        // A request older than the last success failing late says nothing about Kafka now.
                        failedAt = System.nanoTime();
                    }
                });
    }

    /** On the sending thread: one send per record; the first refusal fails the batch and stops it. */
    private void sendAll(Producer<String, byte[]> kafka, String session, List<byte[]> records,
            CompletableFuture<Void> acked) {
        AtomicInteger pending = new AtomicInteger(records.size());
        for (byte[] value : records) {
            if (acked.isDone()) {
                return;
            }
            try {
                kafka.send(new ProducerRecord<>(topic, null, session, value,
                        SealedRecords.isSealed(value) ? SCHEMA_SEALED : SCHEMA_V2), (metadata, error) -> {
                    if (error != null) {
                        acked.completeExceptionally(error);
                    } else if (pending.decrementAndGet() == 0) {
                        acked.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                acked.completeExceptionally(e);
                return;
            }
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> current = producer;
        if (current == null) {
            current = clients.getProducer(CHANNEL);
            producer = current;
        }
        return current;
    }
}
