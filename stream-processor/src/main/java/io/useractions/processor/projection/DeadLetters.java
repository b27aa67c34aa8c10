package io.useractions.processor.projection;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.useractions.processor.config.KafkaClients;
import io.useractions.model.Batch;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.config.ProcessorConfig;

/** Sends records the sink cannot write to the dead-letter topic, waiting for the broker's acknowledgement. */
@ApplicationScoped
public class DeadLetters {
    private final KafkaClients kafka;
    private final String topic;
    private final String rawTopic;
    private final MeterRegistry registry;
    private final ParticipantKeys keys;
    private KafkaProducer<String, byte[]> producer;

    public DeadLetters(KafkaClients kafka, ProcessorConfig config, ParticipantKeys keys, MeterRegistry registry) {
        this.kafka = kafka;
        this.keys = keys;
        this.topic = config.topics().deadLetter();
        this.rawTopic = config.topics().raw();
        this.registry = registry;
    }

    /**
     * Dead-letters action {@code index} of a projection record on its own, as a v1 raw record (the other
     * actions of its batch are written), with its index in the raw record as a header; sealed with the
     * participant's key when the record was (nothing when that key is gone: they withdrew).
     */
    public void send(ConsumerRecord<String, byte[]> record, RawRecord raw, int index, String reason) {
        Batch one = new Batch(raw.study(), raw.participant(), raw.session(), raw.condition(), raw.sentAt(),
                raw.context(), List.of(raw.actions().get(index)));
        byte[] value = RawRecords.encodeV1(one, raw.receivedAt()).get(0);
        if (SealedRecords.isSealed(record.value())) {
            // Sealed like the record it comes from, so the dead-letter topic holds nothing readable of it.
            SealedRecords.Envelope envelope = SealedRecords.envelope(record.value());
            DataKey key = keys.find(envelope.study(), envelope.participant(), envelope.keyId());
            if (key == null) {
                return;
            }
            value = SealedRecords.seal(key, envelope.binding(), value);
        }
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(topic, null, record.key(), value, record.headers());
        dead.headers().remove(RecordHeaders.SOURCE_INDEX);
        dead.headers().add(RecordHeaders.SOURCE_INDEX, Integer.toString(index).getBytes(StandardCharsets.UTF_8));
        send(dead, record, reason);
    }

    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers()), record, reason);
    }

    private synchronized void send(ProducerRecord<String, byte[]> dead, ConsumerRecord<String, byte[]> record,
            String reason) {
        Headers headers = dead.headers();
        headers.remove(RecordHeaders.SOURCE_TOPIC);
        headers.remove(RecordHeaders.DLQ_REASON);
        headers.remove(RecordHeaders.DLQ_STAGE);
        // The projection record's source partition and offset are the raw topic's.
        headers.add(RecordHeaders.SOURCE_TOPIC, rawTopic.getBytes(StandardCharsets.UTF_8));
        headers.add(RecordHeaders.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(RecordHeaders.DLQ_STAGE, "sink".getBytes(StandardCharsets.UTF_8));
        try {
            producer().send(dead).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not dead-letter " + record.topic() + "-" + record.partition() + "@"
                    + record.offset(), e.getCause());
        }
        Counter.builder("ual.processor.dead.lettered").description("Records sent to the dead-letter topic")
                .tag("stage", "sink").tag("reason", "unwritable").register(registry).increment();
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = kafka.properties();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "ual-sink-dead-letters");
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
