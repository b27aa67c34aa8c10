package io.useractions.ingest.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.RecordHeaders;

/** Produces actions to the raw topic and completes only when Kafka acknowledged every one (acks=all). */
@ApplicationScoped
public class ActionPublisher {
    public static final String CHANNEL = "ui-actions";

    private static final byte[] SCHEMA_V1 = RecordHeaders.SCHEMA_V1.getBytes(StandardCharsets.UTF_8);

    private final MutinyEmitter<byte[]> emitter;
    private final IngestConfig config;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long failedAt;
    private volatile long succeededAt;

    public ActionPublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 65536)
            MutinyEmitter<byte[]> emitter, IngestConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    /**
     * Sends every record keyed by session (so a session keeps its order within one partition). Work is
     * bounded: past {@code max-in-flight-actions}, or right after Kafka failed to acknowledge, the answer
     * is an immediate failure (503) rather than a longer queue.
     */
    public Uni<Void> publish(String session, List<byte[]> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long now = System.nanoTime();
        if (failedAt > succeededAt && now - failedAt < config.failFastWindow().toNanos()) {
            return Uni.createFrom().failure(new PublishException("Kafka is unavailable"));
        }
        int size = records.size();
        if (inFlight.addAndGet(size) > config.maxInFlightActions()) {
            inFlight.addAndGet(-size);
            return Uni.createFrom().failure(new PublishException("too many actions are waiting for Kafka"));
        }
        List<Uni<Void>> acks = new ArrayList<>(records.size());
        for (byte[] value : records) {
            OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                    .withKey(session)
                    .withHeaders(new org.apache.kafka.common.header.internals.RecordHeaders()
                            .add(RecordHeaders.SCHEMA, SCHEMA_V1))
                    .build();
            acks.add(Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(value).addMetadata(metadata))));
        }
        return Uni.join().all(acks).andFailFast()
                .ifNoItem().after(config.ackTimeout())
                .failWith(() -> new PublishException("Kafka did not acknowledge within "
                        + config.ackTimeout().toMillis() + " ms"))
                .onFailure(failure -> !(failure instanceof PublishException))
                .transform(PublishException::new)
                .onItemOrFailure().invoke((ok, failure) -> {
                    inFlight.addAndGet(-size);
                    if (failure == null) {
                        succeededAt = System.nanoTime();
                    } else {
                        failedAt = System.nanoTime();
                    }
                })
                .replaceWithVoid();
    }
}
