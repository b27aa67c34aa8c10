package io.useractions.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.useractions.infra.KafkaSecurity;
import io.useractions.infra.LocalInfra;
import io.useractions.infra.Servers;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.model.Topics;
import io.useractions.testing.AdminLogin;
import io.useractions.topics.TopicCreator;

/**
 * The whole pipeline against a broker that only accepts SASL_SSL (SCRAM-SHA-512 over TLS with a certificate
 * generated for the run) and authorizes by ACLs, as the manifests deploy it: each app logs in as its own
 * KafkaUser of deploy/base/kafka/users.yaml with exactly that user's ACLs (the ingest as ual-ingest, the
 * processor as ual-processor, the replay as ual-replay, the console as ual-console), so every client an app
 * builds (the ingest's channel, Kafka Streams, the sink, the replay, the dead-letter tools, the console) must
 * get by with them, and each user is refused what they leave out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureKafkaIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, List<AclBinding>> USERS = KafkaUsers.read(KafkaUsers.MANIFEST);
    /** The shared settings' login, which the broker refuses: an app without a user of its own cannot start. */
    private static final String NO_SHARED_USER = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"no-shared-user\" password=\"refused\";";
    @AutoClose
    private static TestPipeline pipeline;

    @BeforeAll
    static void start() {
        // the processor's env file (the replay Job takes it too): topics come from KafkaTopics, not the processor
        Map<String, String> processorEnv = Map.of("UAL_PROCESSOR_TOPICS_CREATE",
                manifestEnv("processor/processor.env", "UAL_PROCESSOR_TOPICS_CREATE"));
        pipeline = new TestPipeline().withSecureKafka()
                .withEnv("KAFKA_SASL_JAAS_CONFIG", NO_SHARED_USER)
                .withAppEnv("ingest-service", infra -> asUser(infra, "ual-ingest", Map.of()))
                .withAppEnv("stream-processor", infra -> asUser(infra, "ual-processor", processorEnv))
                .withAppEnv(TestPipeline.REPLAY, infra -> asUser(infra, "ual-replay", processorEnv))
                .withAppEnv("console", infra -> asUser(infra, "ual-console", Map.of()))
                .start(true);
    }

    @Test
    @Order(1)
    void actionsTravelOverAuthenticatedTlsAndAnUnauthenticatedClientIsRefused() throws Exception {
        String session = UUID.randomUUID().toString();
        String body = SampleBatches.batch(session, SampleBatches.ids(5)).replace("\"study\":\"demo\"",
                "\"study\":\"" + TestPipeline.STUDY + "\"");
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.batchesUrl()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        long begin = System.nanoTime();
        assertEquals(202, accepted.statusCode(), accepted.body());
        await("the batch in ui_action (ingest channel, Streams, sink over SASL_SSL)").atMost(Duration.ofSeconds(60))
                .until(() -> pipeline.query("select count(*) from ui_action where session_id = ?", session) == 5);

        TestPipeline.phase("batch stored", begin);
        // A record the topology refuses goes to the dead-letter topic, which the admin API and the console read.
        String poison = "poison-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(user("ual-ingest"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.RAW, poison, "{\"study\":\"" + TestPipeline.STUDY
                    + "\",\"not\":\"an envelope\"}")).get();
        }
        await("the dead letter listed by the processor's admin API").atMost(Duration.ofSeconds(60))
                .until(() -> get(pipeline.processor().url() + "/admin/dead-letters").contains(poison));
        await("the dead letter counted by the console").atMost(Duration.ofSeconds(60))
                .until(() -> get(pipeline.console().url() + "/api/v1/studies/" + TestPipeline.STUDY + "/quality")
                        .contains("\"dead_letters\":1"));
        TestPipeline.phase("dead letter listed and counted", begin);
        // re-driven by the admin API, it goes to the raw topic (written by the processor's user) and back
        Matcher listed = Pattern.compile("\"offset\":(\\d+),\"timestamp\":\\d+,\"key\":\"" + poison + "\"")
                .matcher(get(pipeline.processor().url() + "/admin/dead-letters"));
        assertTrue(listed.find(), "the dead letter's offset");
        String redriven = send(HttpRequest.newBuilder(URI.create(pipeline.processor().url() + "/admin/dead-letters/redrive?from="
                + listed.group(1) + "&to=" + listed.group(1))).POST(HttpRequest.BodyPublishers.noBody()));
        assertTrue(redriven.contains("\"redriven\":1"), redriven);
        await("the re-driven dead letter back in the dead-letter topic").atMost(Duration.ofSeconds(60))
                .until(() -> get(pipeline.processor().url() + "/admin/dead-letters").contains("ual-redriven-from"));

        TestPipeline.phase("dead letter re-driven", begin);
        String replay = pipeline.replay();
        TestPipeline.phase("replay run", begin);
        assertTrue(replay.contains("Replay finished: records="), replay);
        assertEquals(5, pipeline.query("select count(*) from ui_action where session_id = ?", session));

        Map<String, Object> noCredentials = KafkaSecurity.withoutCredentials(user("ual-ingest"));
        // It gets no answer at all (the broker drops what is not TLS), so it fails only when its wait ends.
        assertThrows(Exception.class, () -> partitionsOf(noCredentials, Duration.ofSeconds(3)),
                "a client without TLS and credentials");
        Map<String, Object> wrongPassword = KafkaSecurity.withPassword(user("ual-ingest"), "not-the-password");
        assertThrows(SaslAuthenticationException.class, () -> partitionsOf(wrongPassword, Duration.ofSeconds(10)),
                "a client with a wrong password");

        TestPipeline.phase("refused clients", begin);
        // the apps needed no more than their ACLs: the broker refused none of their requests
        List<String> refused;
        try (Stream<String> log = Files.lines(pipeline.infra.kafka().logFile())) {
            refused = log.filter(line -> line.contains(" is Denied ")).toList();
        }
        assertEquals(List.of(), refused, "requests the authorizer refused during the run");
    }

    @Test
    @Order(2)
    void ingestUserMayWriteTheRawTopicAndNothingElse() {
        Map<String, Object> ingest = user("ual-ingest");

        assertInstanceOf(TopicAuthorizationException.class, refusedRead(ingest, Topics.RAW, null));
        assertInstanceOf(GroupAuthorizationException.class, refusedRead(ingest, Topics.RAW, "ual-projection"));
        assertInstanceOf(TopicAuthorizationException.class, refusedWrite(ingest, Topics.PROJECTION));
        assertInstanceOf(TopicAuthorizationException.class, refusedWrite(ingest, Topics.DEAD_LETTER));
    }

    @Test
    @Order(2)
    void replayUserMayReadTheRawTopicAndWriteNone() {
        Map<String, Object> replay = user("ual-replay");

        for (String topic : List.of(Topics.RAW, Topics.PROJECTION, Topics.DEAD_LETTER)) {
            assertInstanceOf(TopicAuthorizationException.class, refusedWrite(replay, topic), topic);
        }
        assertInstanceOf(TopicAuthorizationException.class, refusedRead(replay, Topics.DEAD_LETTER, null));
        assertInstanceOf(GroupAuthorizationException.class, refusedRead(replay, Topics.RAW, "ual-postgres-sink"));
    }

    @Test
    @Order(2)
    void consoleUserMayReadTheDeadLettersAndNothingElse() {
        Map<String, Object> console = user("ual-console");

        assertInstanceOf(TopicAuthorizationException.class, refusedRead(console, Topics.RAW, null));
        assertInstanceOf(TopicAuthorizationException.class, refusedWrite(console, Topics.DEAD_LETTER));
    }

    @Test
    @Order(2)
    void processorUserCreatesNoTopicAndUsesOnlyItsGroupsAndTransactionalIds() throws Exception {
        Map<String, Object> processor = user("ual-processor");

        try (Admin admin = Admin.create(processor)) {
            // what the processor's TopicBootstrap would do, were UAL_PROCESSOR_TOPICS_CREATE not false
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TopicCreator.createMissing(admin,
                    List.of(Topics.spec(Topics.DEAD_LETTER).named("ui-actions-unlisted")), 1, Optional.empty()));
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
        assertInstanceOf(GroupAuthorizationException.class, refusedRead(processor, Topics.RAW, "another-group"));
        Map<String, Object> transactional = new HashMap<>(processor);
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "another-application-0");
        transactional.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(transactional, new StringSerializer(),
                new StringSerializer())) {
            assertThrows(TransactionalIdAuthorizationException.class, producer::initTransactions);
        }
    }

    /** The app's Kafka settings as its KafkaUser, made on the broker with exactly that user's ACLs in the manifest. */
    private static Map<String, String> asUser(LocalInfra infra, String user, Map<String, String> more) {
        List<AclBinding> acls = USERS.get(user);
        if (acls == null) {
            throw new IllegalStateException("no KafkaUser " + user + " in " + KafkaUsers.MANIFEST);
        }
        Map<String, String> env = new HashMap<>(Servers.kafkaEnv(infra.kafka().putUser(user, acls)));
        env.putAll(more);
        return env;
    }

    private static Map<String, Object> user(String name) {
        return pipeline.infra.kafkaClientConfig(name);
    }

    /** A variable as the manifests set it in a service's env file under deploy/base. */
    private static String manifestEnv(String file, String name) {
        Path path = TestPipeline.HOME.resolve("deploy/base").resolve(file);
        try (Stream<String> lines = Files.lines(path)) {
            return lines.filter(line -> line.startsWith(name + "=")).map(line -> line.substring(name.length() + 1))
                    .findFirst().orElseThrow(() -> new IllegalStateException(path + " sets no " + name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Why the broker refuses this user's read of the topic: by assigned partition, or in the group. */
    private static Throwable refusedRead(Map<String, Object> user, String topic, String group) {
        Map<String, Object> props = new HashMap<>(user);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            if (group == null) {
                consumer.assign(List.of(new TopicPartition(topic, 0)));
            } else {
                consumer.subscribe(List.of(topic));
            }
            // the refusal comes from a poll, as an exception that ends the wait
            return assertThrows(AuthorizationException.class, () -> await().atMost(Duration.ofSeconds(30)).pollInSameThread()
                    .until(() -> consumer.poll(Duration.ofMillis(200)) == null),
                    "a read of " + topic + (group == null ? "" : " in the group " + group));
        }
    }

    /** Why the broker refuses this user's write to the topic. */
    private static Throwable refusedWrite(Map<String, Object> user, String topic) {
        Map<String, Object> props = new HashMap<>(user);
        // an idempotent producer first asks for a producer id, which a user that may write nowhere is refused
        // (ClusterAuthorizationException); without, the answer is about the topic
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>(topic, "refused", "must not arrive")).get(30, TimeUnit.SECONDS), "a write to " + topic);
            return refused.getCause();
        }
    }

    private static int partitionsOf(Map<String, Object> settings, Duration timeout) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 5_000));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return consumer.partitionsFor(Topics.RAW, timeout).size();
        }
    }

    private static String get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)));
    }

    /** The response body to the request with the admin credential; empty if the app did not answer. */
    private static String send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.header("Authorization", AdminLogin.basicAuthorization()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
