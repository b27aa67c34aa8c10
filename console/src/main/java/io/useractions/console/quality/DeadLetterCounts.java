package io.useractions.console.quality;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.quarkus.runtime.StartupEvent;
import io.useractions.console.config.ConsoleConfig;
import io.useractions.model.KafkaSettings;

/**
 * Dead letters per study and session, counted by reading the dead-letter topic from its beginning and
 * following it (no consumer group: every console instance counts for itself). A dead letter's study and
 * session come from its value when that is a JSON object naming them; the rest count under no study.
 * Counts are absent (null) until the topic was read to its end once, so a slow start never shows 0.
 */
@ApplicationScoped
public class DeadLetterCounts {
    private static final Logger LOG = Logger.getLogger(DeadLetterCounts.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** Values above this are not parsed (a too-large record is dead-lettered for its size). */
    private static final int MAX_PARSED_BYTES = 1 << 20;

    private final Map<String, Object> kafka;
    private final String topic;
    private final boolean enabled;
    private final Map<String, AtomicLong> perStudy = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> perSession = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread reader;

    public DeadLetterCounts(Config config, ConsoleConfig console) {
        this.kafka = KafkaSettings.read(name -> config.getOptionalValue(name, String.class));
        this.topic = console.deadLetters().topic();
        this.enabled = console.deadLetters().enabled();
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            reader = new Thread(this::read, "dead-letter-counts");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** The study's dead letters, or null while not known. */
    public Long study(String study) {
        return caughtUp ? Optional.ofNullable(perStudy.get(study)).map(AtomicLong::get).orElse(0L) : null;
    }

    /** The session's dead letters, or null while not known. */
    public Long session(String study, String session) {
        return caughtUp ? Optional.ofNullable(perSession.get(study + '\u0000' + session)).map(AtomicLong::get)
                .orElse(0L) : null;
    }

    private void read() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ual-console-dead-letters");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty()) {
                try {
                    partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // Kafka not there yet, or the topic not created yet: the processor creates it
                }
                if (partitions.isEmpty()) {
                    Thread.sleep(5_000);
                }
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofSeconds(1))) {
                    count(record.value());
                }
                if (!caughtUp && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    LOG.infof("Dead letters counted up to the end of %s: %,d", topic,
                            perStudy.values().stream().mapToLong(AtomicLong::get).sum());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("Dead letters are not counted: %s", e.toString());
        }
    }

    private void count(byte[] value) {
        String study = null;
        String session = null;
        if (value != null && value.length <= MAX_PARSED_BYTES) {
            try (JsonParser p = JSON.createParser(value)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME && (study == null || session == null)) {
                        String field = p.currentName();
                        JsonToken token = p.nextToken();
                        if (token == JsonToken.VALUE_STRING && field.equals("study")) {
                            study = p.getText();
                        } else if (token == JsonToken.VALUE_STRING && field.equals("session")) {
                            session = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // not JSON: counted under no study
            }
        }
        perStudy.computeIfAbsent(study == null ? "" : study, s -> new AtomicLong()).incrementAndGet();
        if (study != null && session != null) {
            perSession.computeIfAbsent(study + '\u0000' + session, s -> new AtomicLong()).incrementAndGet();
        }
    }

    @PreDestroy
    void stop() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
