package io.useractions.ingest.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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

    public ActionPublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 65536)
            MutinyEmitter<byte[]> emitter, IngestConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    /** Sends every record keyed by session (so a session keeps its order within one partition). */
    public Uni<Void> publish(String session, List<byte[]> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
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
                .failWith(() -> new PublishException("Kafka did not acknowledge within " + config.ackTimeout()))
                .onFailure(failure -> !(failure instanceof PublishException))
                .transform(PublishException::new)
                .replaceWithVoid();
    }
}
