package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.testing.TestDirs;

class KafkaSecurityTest {

    /** For the tests that only read the material: each generation runs keytool, about a second. */
    private static Path generatedDir;
    private static KafkaSecurity generated;

    @BeforeAll
    static void generateOnce() {
        generatedDir = TestDirs.fresh("kafka-security");
        generated = KafkaSecurity.prepare(generatedDir, true);
    }

    @Test
    void materialIsGeneratedOnceAndReusedFromItsDirectory() throws Exception {
        KafkaSecurity first = generated;
        KafkaSecurity again = KafkaSecurity.prepare(generatedDir, false);

        assertEquals(first.clientSettings(), again.clientSettings());
        assertEquals(first.brokerProperties(), again.brokerProperties());
        assertEquals(first.scramFormatArguments(), again.scramFormatArguments());
        assertNotEquals(first.clientSettings(), KafkaSecurity.prepare(TestDirs.fresh("kafka-security"), true).clientSettings());
    }

    @Test
    void certificateNamesTheLoopbackAddressAndIsTheOneClientsTrust() throws Exception {
        Map<String, String> broker = generated.brokerProperties();
        KeyStore keys = load(broker.get("ssl.keystore.location"), broker.get("ssl.keystore.password"));
        KeyStore trusted = load(broker.get("ssl.truststore.location"), broker.get("ssl.truststore.password"));

        X509Certificate certificate = (X509Certificate) keys.getCertificate("broker");
        assertTrue(keys.isKeyEntry("broker"));
        assertEquals(certificate, trusted.getCertificate("broker"));
        assertEquals(List.of(List.of(7, "127.0.0.1"), List.of(2, "localhost")),
                certificate.getSubjectAlternativeNames().stream().toList());
    }

    @Test
    void noNewUsersForStorageThatWasFormattedWithoutThem() {
        Path dir = TestDirs.fresh("kafka-security");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KafkaSecurity.prepare(dir, false));

        assertTrue(e.getMessage().contains("formatted without its SCRAM users"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("credentials.properties")));
    }

    @Test
    void bothUsersAreWrittenAtFormatTimeWithScramSha512() {
        List<String> arguments = generated.scramFormatArguments();

        assertEquals(4, arguments.size());
        assertTrue(arguments.get(1).matches("SCRAM-SHA-512=\\[name=admin,password=[0-9a-f]{48}]"), arguments.get(1));
        assertTrue(arguments.get(3).matches("SCRAM-SHA-512=\\[name=ual,password=[0-9a-f]{48}]"), arguments.get(3));
    }

    @Test
    void brokerAuthorizesEveryoneButTheAdminByAcls() {
        Map<String, String> broker = generated.brokerProperties();

        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", broker.get("authorizer.class.name"));
        assertEquals("User:admin", broker.get("super.users"));
        assertEquals("false", broker.get("allow.everyone.if.no.acl.found"));
        assertEquals("PLAIN", broker.get("sasl.mechanism.controller.protocol"));
        assertTrue(broker.get("listener.name.controller.plain.sasl.jaas.config").contains("username=\"admin\""));
    }

    @Test
    void serviceUserMayUseEveryTopicGroupAndTransactionalIdButNotAlterTheCluster() {
        List<AclBinding> acls = KafkaSecurity.serviceUserAcls();

        for (AclBinding acl : acls) {
            assertEquals("User:ual", acl.entry().principal());
            assertEquals("*", acl.entry().host());
            assertEquals(AclPermissionType.ALLOW, acl.entry().permissionType());
            assertEquals(PatternType.LITERAL, acl.pattern().patternType());
        }
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            assertTrue(acls.stream().anyMatch(acl -> acl.pattern().resourceType() == type && acl.pattern().name().equals("*")
                    && acl.entry().operation() == AclOperation.ALL), type.toString());
        }
        assertEquals(List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS), acls.stream()
                .filter(acl -> acl.pattern().resourceType() == ResourceType.CLUSTER).map(acl -> acl.entry().operation()).toList());
    }

    @Test
    void anAddedUsersPasswordIsRandomMadeOnceAndKept() {
        Path dir = TestDirs.fresh("kafka-security");
        KafkaSecurity security = KafkaSecurity.prepare(dir, true);

        assertThrows(IllegalArgumentException.class, () -> security.password("ual-ingest"));
        String ingest = security.passwordOrNew("ual-ingest");

        assertTrue(ingest.matches("[0-9a-f]{48}"), ingest);
        assertEquals(ingest, security.passwordOrNew("ual-ingest"));
        assertNotEquals(ingest, security.passwordOrNew("ual-console"));
        assertEquals(ingest, KafkaSecurity.prepare(dir, false).password("ual-ingest"));
        assertEquals(KafkaSecurity.jaasConfig("ual-ingest", ingest), security.clientSettings("ual-ingest").get("sasl.jaas.config"));
        for (String unusable : List.of("", "a\"b", "a,b", "a=b", "keystore", "truststore")) {
            assertThrows(IllegalArgumentException.class, () -> security.passwordOrNew(unusable), unusable);
        }
    }

    @Test
    void refusedClientConfigsKeepTheAddressAndChangeOnlyWhatTheyNameAfter() {
        Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:1", "security.protocol", "SASL_SSL",
                "sasl.jaas.config", KafkaSecurity.jaasConfig("ual", "right"), "ssl.truststore.location", "/t.p12");

        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:1"), KafkaSecurity.withoutCredentials(config));
        Map<String, Object> wrong = KafkaSecurity.withPassword(config, "wrong");
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ual\" password=\"wrong\";",
                wrong.get("sasl.jaas.config"));
        assertEquals(config.keySet(), wrong.keySet());
        assertEquals("/t.p12", wrong.get("ssl.truststore.location"));
        assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurity.withPassword(Map.of("bootstrap.servers", "127.0.0.1:1"), "x"));
    }

    private static KeyStore load(String location, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
