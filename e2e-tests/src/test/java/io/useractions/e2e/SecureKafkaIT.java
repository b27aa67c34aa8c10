package io.useractions.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.infra.corpus.SampleBatches;
import io.useractions.model.Topics;

/**
 * The whole pipeline against a broker that only accepts SASL_SSL (SCRAM-SHA-512 over TLS with a certificate
 * generated for the run): the apps get one set of KAFKA_* settings, and every client they build (the
 * ingest's channel, Kafka Streams, the sink, the replay, the dead-letter tools, the console) must use it.
 */
class SecureKafkaIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestPipeline pipeline;

    @BeforeAll
    static void start() {
        pipeline = new TestPipeline().withSecureKafka().start(true);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void actionsTravelOverAuthenticatedTlsAndAnUnauthenticatedClientIsRefused() throws Exception {
        String session = UUID.randomUUID().toString();
        String body = SampleBatches.batch(session, SampleBatches.ids(5)).replace("\"study\":\"demo\"",
                "\"study\":\"" + TestPipeline.STUDY + "\"");
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.batchesUrl()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        TestPipeline.awaitMillis("the batch in ui_action (ingest channel, Streams, sink over SASL_SSL)",
                Duration.ofSeconds(60), () -> pipeline.query("select count(*) from ui_action where session_id = ?",
                        session) == 5);

        // A record the topology refuses goes to the dead-letter topic, which the admin API and the console read.
        String poison = "poison-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pipeline.infra.kafkaClientConfig(),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.RAW, poison, "{\"study\":\"" + TestPipeline.STUDY
                    + "\",\"not\":\"an envelope\"}")).get();
        }
        TestPipeline.awaitMillis("the dead letter listed by the processor's admin API", Duration.ofSeconds(60),
                () -> get(pipeline.processor().url() + "/admin/dead-letters").contains(poison));
        TestPipeline.awaitMillis("the dead letter counted by the console", Duration.ofSeconds(60),
                () -> get(pipeline.console().url() + "/api/v1/studies/" + TestPipeline.STUDY + "/quality")
                        .contains("\"dead_letters\":1"));

        String replay = pipeline.replay();
        assertTrue(replay.contains("Replay finished: records="), replay);
        assertEquals(5, pipeline.query("select count(*) from ui_action where session_id = ?", session));

        Map<String, Object> noCredentials = new HashMap<>();
        noCredentials.put("bootstrap.servers", pipeline.infra.kafkaBootstrap());
        assertThrows(Exception.class, () -> partitionsOf(noCredentials), "a client without TLS and credentials");
        Map<String, Object> wrongPassword = new HashMap<>(pipeline.infra.kafkaClientConfig());
        wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"ual\" password=\"not-the-password\";");
        assertThrows(SaslAuthenticationException.class, () -> partitionsOf(wrongPassword),
                "a client with a wrong password");
    }

    private static int partitionsOf(Map<String, Object> settings) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return consumer.partitionsFor(Topics.RAW, Duration.ofSeconds(10)).size();
        }
    }

    private static String get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("admin:ual-admin-local-dev".getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
