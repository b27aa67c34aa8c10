package io.useractions.infra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import io.useractions.model.TopicSpec;
import io.useractions.model.Topics;
import io.useractions.testing.TestDirs;
import io.useractions.testing.TopicReader;
import io.useractions.testing.TopicWriter;
import io.useractions.topics.TopicCreator;

/**
 * One secured LocalInfra for the whole class; the restart test replaces it with one on the same data and ports.
 * The other tests run side by side (each has topics, users and groups of its own): most of their time is
 * waiting, for a refused client to time out or a new user's login to reach the broker.
 */
@Execution(ExecutionMode.CONCURRENT)
class SecureKafkaBrokerTest {
    private static final String SERVERS = "secure-kafka-servers";
    /** Held by the tests whose clients fail the TLS handshake, so that one's failure is not counted for another. */
    private static final String HANDSHAKES = "secure-kafka-handshakes";

    private static Path root;
    private static LocalInfra infra;

    @BeforeAll
    static void startSecuredServers() {
        root = TestDirs.fresh("secure-kafka");
        infra = LocalInfra.start(LocalInfra.Config.inRoot(root).withKafkaMaxHeap("256m").withSecureKafka());
    }

    @AfterAll
    static void stopServers() {
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ)
    void clientWithTheSharedConfigCreatesATopicAndProducesAndConsumes() throws Exception {
        Map<String, Object> config = infra.kafkaClientConfig();
        assertEquals(infra.kafkaBootstrap(), config.get("bootstrap.servers"));
        assertEquals("SASL_SSL", config.get("security.protocol"));

        try (Admin admin = Admin.create(config)) {
            TopicCreator.createMissing(admin, List.of(new TopicSpec("secured", true, Map.of())), 2, Optional.empty());
        }
        TopicWriter.send(config, "secured", "k", "over TLS");

        assertEquals(List.of("over TLS"), valuesInGroup(config, "secured"));
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ)
    void serviceUserMayNotChangeAcls() {
        AclBinding everything = new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                new AccessControlEntry("User:ual", "*", AclOperation.ALL, AclPermissionType.ALLOW));

        try (Admin admin = Admin.create(infra.kafkaClientConfig())) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.createAcls(List.of(everything)).all().get(10, TimeUnit.SECONDS));
            assertInstanceOf(ClusterAuthorizationException.class, refused.getCause());
        }
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ)
    void userPutWithAclsMayDoWhatTheyAllowAndNothingElse() throws Exception {
        infra.kafka().createTopic("acl-readable", 1, Map.of());
        infra.kafka().createTopic("acl-other", 1, Map.of());
        TopicWriter.send(infra.kafkaClientConfig(), "acl-readable", "k", "for the reader");
        TopicWriter.send(infra.kafkaClientConfig(), "acl-other", "k", "not for the reader");

        Map<String, Object> reader = infra.kafka().putUser("reader", List.of(
                acl("reader", ResourceType.TOPIC, "acl-readable", PatternType.LITERAL, AclOperation.READ),
                acl("reader", ResourceType.GROUP, "test-", PatternType.PREFIXED, AclOperation.READ)));

        assertTrue(reader.get("sasl.jaas.config").toString().contains("username=\"reader\""));
        assertEquals(List.of("for the reader"), valuesInGroup(reader, "acl-readable"));
        assertInstanceOf(TopicAuthorizationException.class,
                assertThrows(Exception.class, () -> valuesInGroup(reader, "acl-other")));
        Exception write = assertThrows(Exception.class, () -> TopicWriter.send(reader, "acl-readable", "k", "v"));
        assertInstanceOf(ClusterAuthorizationException.class, write.getCause(), write.toString());

        // putting the user again leaves it with the new ACLs only
        assertEquals(reader, infra.kafka().putUser("reader", List.of(
                acl("reader", ResourceType.GROUP, "test-", PatternType.PREFIXED, AclOperation.READ))));
        assertInstanceOf(TopicAuthorizationException.class,
                assertThrows(Exception.class, () -> valuesInGroup(reader, "acl-readable")));
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ)
    void usersAreTheBrokersOwnOrNamedInTheirAcls() {
        AclBinding othersAcl = acl("someone-else", ResourceType.TOPIC, "x", PatternType.LITERAL, AclOperation.READ);

        assertThrows(IllegalArgumentException.class, () -> infra.kafka().putUser("reader", List.of(othersAcl)));
        assertThrows(IllegalArgumentException.class, () -> infra.kafka().putUser("ual", List.of()));
        assertThrows(IllegalArgumentException.class, () -> infra.kafkaClientConfig("never-put"));
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ)
    @ResourceLock(HANDSHAKES)
    void clientWithoutCredentialsIsRefused() throws Exception {
        Map<String, Object> plaintext = KafkaSecurity.withoutCredentials(infra.kafkaClientConfig());
        assertEquals(Set.of("bootstrap.servers"), plaintext.keySet());
        long handshakesFailedBefore = brokerLogLines("(SSL handshake failed)");

        // A plaintext client only sees the broker hang up on its TLS-less bytes, so it can only time out;
        // the broker's log says why.
        ExecutionException refused = assertThrows(ExecutionException.class, () -> listTopics(plaintext));
        assertInstanceOf(TimeoutException.class, refused.getCause());
        await("a failed TLS handshake in the broker log").atMost(Duration.ofSeconds(5))
                .until(() -> brokerLogLines("(SSL handshake failed)") > handshakesFailedBefore);
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ)
    @ResourceLock(HANDSHAKES)
    void clientThatDoesNotTrustTheBrokerCertificateIsRefused() {
        Map<String, Object> untrusting = new HashMap<>(infra.kafkaClientConfig());
        untrusting.keySet().removeIf(name -> name.startsWith("ssl.truststore."));

        ExecutionException refused = assertThrows(ExecutionException.class, () -> listTopics(untrusting));
        assertInstanceOf(SslAuthenticationException.class, refused.getCause());
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ)
    void clientWithAWrongPasswordIsRefused() {
        Map<String, Object> wrong = KafkaSecurity.withPassword(infra.kafkaClientConfig(), "not-the-password");
        assertEquals(infra.kafkaClientConfig().keySet(), wrong.keySet());

        ExecutionException refused = assertThrows(ExecutionException.class, () -> listTopics(wrong));
        assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ)
    void servicesAndQuarkusTestsGetTheSameSettingsAsTheClients() throws Exception {
        Map<String, Object> config = infra.kafkaClientConfig();
        Map<String, String> env = infra.serviceEnv();
        Map<String, String> quarkus = infra.quarkusConfig();

        assertEquals(Set.of("bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config",
                "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type"), config.keySet());
        assertEquals(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", config.get("bootstrap.servers"),
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", config.get("sasl.jaas.config"),
                "KAFKA_SSL_TRUSTSTORE_LOCATION", config.get("ssl.truststore.location"),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", config.get("ssl.truststore.password"),
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"), kafkaClientEnv(env));
        config.forEach((name, value) -> assertEquals(value, quarkus.get("kafka." + name), name));
        assertTrue(config.get("sasl.jaas.config").toString().contains("username=\"ual\""));
        assertTrue(Files.isRegularFile(Path.of(config.get("ssl.truststore.location").toString())));

        infra.ensureProjectTopics(2);
        try (Admin admin = infra.kafka().admin()) {
            // A created topic reaches the broker's metadata a moment after the controller acknowledged it.
            await("the project's topics listed").atMost(Duration.ofSeconds(10)).until(
                    () -> admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(Topics.names()));
        }
    }

    @Test
    @ResourceLock(value = SERVERS, mode = ResourceAccessMode.READ_WRITE)
    void sameCredentialsAndCertificateWorkAfterARestartOnTheSameData() throws Exception {
        Map<String, Object> before = infra.kafkaClientConfig();
        infra.kafka().createTopic("survives-restart", 1, Map.of());
        TopicWriter.send(before, "survives-restart", "k", "before the restart");
        Map<String, Object> added = infra.kafka().putUser("restart-reader", List.of(
                acl("restart-reader", ResourceType.TOPIC, "survives-restart", PatternType.LITERAL, AclOperation.READ),
                acl("restart-reader", ResourceType.GROUP, "test-", PatternType.PREFIXED, AclOperation.READ)));
        LocalInfra.Config same = LocalInfra.Config.inRoot(root).withKafkaMaxHeap("256m").withSecureKafka()
                .withPorts(infra.kafka().port(), infra.kafka().controllerPort(), infra.postgres().port(), infra.redis().port());

        infra.close();
        assertFalse(infra.kafka().isRunning());
        infra = LocalInfra.start(same);

        assertEquals(before, infra.kafkaClientConfig());
        assertEquals(List.of("before the restart"), valuesInGroup(before, "survives-restart"));
        assertEquals(added, infra.kafkaClientConfig("restart-reader"));
        assertEquals(List.of("before the restart"), valuesInGroup(added, "survives-restart"));
    }

    /** The topic's values, read in a group whose name starts with "test-", as the users' ACLs allow. */
    private static List<String> valuesInGroup(Map<String, Object> config, String topic) {
        return TopicReader.of(config).inGroup("test-").toEnd(topic).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
    }

    private static AclBinding acl(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static long brokerLogLines(String containing) throws Exception {
        try (var lines = Files.lines(infra.kafka().logFile())) {
            return lines.filter(line -> line.contains(containing)).count();
        }
    }

    private static Set<String> listTopics(Map<String, Object> config) throws Exception {
        Map<String, Object> quick = new HashMap<>(config);
        quick.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        quick.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(quick)) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> kafkaClientEnv(Map<String, String> env) {
        Map<String, String> matching = new HashMap<>(env);
        matching.keySet().removeIf(name -> !name.startsWith("KAFKA_") || name.startsWith("KAFKA_STREAMS_"));
        return matching;
    }
}
