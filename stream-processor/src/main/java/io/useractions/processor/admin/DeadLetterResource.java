package io.useractions.processor.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.useractions.model.RefusedException;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.SealedPayloadException;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.config.KafkaClients;
import io.useractions.processor.config.ProcessorConfig;

/**
 * Inspect and re-drive the dead-letter topic (admin credential required, see application.properties).
 * Re-driving sends a record's original value and key back to the raw topic, where it is validated
 * again: for records that failed because of a bug or an outage since fixed. A sealed value is shown opened
 * (the admin may read the tables too) and re-driven as it is, still sealed.
 */
@Path("/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
    public static final String REDRIVEN_FROM = "ual-redriven-from";
    private static final int MAX_VALUE_CHARS = 2048;
    private static final int MAX_REDRIVE = 100_000;

    private final KafkaClients kafka;
    private final ProcessorConfig config;
    private final ParticipantKeys keys;

    @Inject
    public DeadLetterResource(KafkaClients kafka, ProcessorConfig config, ParticipantKeys keys) {
        this.kafka = kafka;
        this.config = config;
        this.keys = keys;
    }

    public record DeadLetter(int partition, long offset, long timestamp, String key, Map<String, String> headers,
            String value, @JsonProperty("value_truncated") boolean valueTruncated) {
    }

    public record Page(List<DeadLetter> records, @JsonProperty("next_offset") long nextOffset,
            @JsonProperty("end_offset") long endOffset) {
    }

    public record Redriven(int redriven, @JsonProperty("to_topic") String toTopic) {
    }

    @GET
    public Page list(@RestQuery String partition, @RestQuery String from, @RestQuery String limit) {
        int size = (int) QueryParameters.number("limit", limit, 1, 1000, 50L);
        long start = QueryParameters.number("from", from, 0, Long.MAX_VALUE, 0L);
        List<DeadLetter> found = new ArrayList<>();
        long end;
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition tp = partition(consumer, partition);
            end = read(consumer, tp, start, size, record -> found.add(view(record, keys)));
        }
        long next = found.isEmpty() ? start : found.get(found.size() - 1).offset() + 1;
        return new Page(found, next, end);
    }

    /** Sends the records from {@code from} to {@code to} (inclusive, at most {@value #MAX_REDRIVE}) back to the raw topic. */
    @POST
    @Path("redrive")
    public Redriven redrive(@RestQuery String partition, @RestQuery String from, @RestQuery String to) {
        long first = QueryParameters.number("from", from, 0, Long.MAX_VALUE, null);
        long last = QueryParameters.number("to", to, first, Long.MAX_VALUE, null);
        if (last - first >= MAX_REDRIVE) {
            throw new RefusedException(400, "out_of_range", "to", "re-drive at most " + MAX_REDRIVE
                    + " records a request: to must be below " + (first + MAX_REDRIVE));
        }
        List<ProducerRecord<String, byte[]>> resend = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition tp = partition(consumer, partition);
            read(consumer, tp, first, (int) (last - first + 1), record -> {
                if (record.offset() <= last) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(REDRIVEN_FROM, (tp + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
                    resend.add(new ProducerRecord<>(config.topics().raw(), null, record.key(), record.value(), headers));
                }
            });
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (ProducerRecord<String, byte[]> record : resend) {
                producer.send(record).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("re-drive failed: " + e.getCause().getMessage(), e.getCause());
        }
        return new Redriven(resend.size(), config.topics().raw());
    }

    /** The dead-letter topic's partition {@code value} names (0 when not given), refused unless the topic has it. */
    private TopicPartition partition(KafkaConsumer<String, byte[]> consumer, String value) {
        int partition = (int) QueryParameters.number("partition", value, 0, Integer.MAX_VALUE, 0L);
        String topic = config.topics().deadLetter();
        int partitions = consumer.partitionsFor(topic).size();
        if (partitions == 0) {
            throw new RefusedException(503, "unavailable", null, "the dead-letter topic " + topic + " does not exist yet");
        }
        if (partition >= partitions) {
            throw new RefusedException(400, "out_of_range", "partition", "partition must be between 0 and "
                    + (partitions - 1) + ": " + topic + " has " + partitions);
        }
        return new TopicPartition(topic, partition);
    }

    /** Reads up to {@code max} records from {@code from}; returns the partition's end offset. */
    private static long read(KafkaConsumer<String, byte[]> consumer, TopicPartition tp, long from, int max,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
        consumer.assign(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        consumer.seek(tp, Math.max(from, consumer.beginningOffsets(List.of(tp)).get(tp)));
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (seen < max && consumer.position(tp) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (seen++ < max) {
                    sink.accept(record);
                }
            }
        }
        return end;
    }

    private static DeadLetter view(ConsumerRecord<String, byte[]> record, SealedRecords.Keys keys) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        String value = record.value() == null ? null : new String(opened(record.value(), keys), StandardCharsets.UTF_8);
        boolean truncated = value != null && value.length() > MAX_VALUE_CHARS;
        return new DeadLetter(record.partition(), record.offset(), record.timestamp(), record.key(), headers,
                truncated ? value.substring(0, MAX_VALUE_CHARS) : value, truncated);
    }

    /** A sealed value opened for the admin, or a sentence saying why it cannot be; a value in clear as it is. */
    private static byte[] opened(byte[] value, SealedRecords.Keys keys) {
        try {
            byte[] plain = SealedRecords.open(value, keys);
            return plain != null ? plain
                    : "(sealed; its participant's key is gone: they withdrew)".getBytes(StandardCharsets.UTF_8);
        } catch (SealedPayloadException e) {
            return ("(sealed; does not open: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties props = kafka.properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = kafka.properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
