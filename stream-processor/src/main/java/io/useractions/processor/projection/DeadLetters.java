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
import io.useractions.processor.config.ProcessorConfig;

/** Sends records the sink cannot write to the dead-letter topic, waiting for the broker's acknowledgement. */
@ApplicationScoped
public class DeadLetters {
    private final KafkaClients kafka;
    private final String topic;
    private final String rawTopic;
    private final MeterRegistry registry;
    private KafkaProducer<String, byte[]> producer;

    public DeadLetters(KafkaClients kafka,
            ProcessorConfig config, MeterRegistry registry) {
        this.kafka = kafka;
        this.topic = config.topics().deadLetter();
        this.rawTopic = config.topics().raw();
        this.registry = registry;
    }

    /**
     * Dead-letters action {@code index} of a projection record on its own, as a v1 raw record (the other
     * actions of its batch are written), with its index in the raw record as a header.
     */
    public void send(ConsumerRecord<String, byte[]> record, RawRecord raw, int index, String reason) {
        Batch one = new Batch(raw.study(), raw.participant(), raw.session(), raw.condition(), raw.sentAt(),
                raw.context(), List.of(raw.actions().get(index)));
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(topic, null, record.key(),
                RawRecords.encodeV1(one, raw.receivedAt()).get(0), record.headers());
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
