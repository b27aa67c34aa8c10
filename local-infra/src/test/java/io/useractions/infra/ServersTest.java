package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.opentest4j.TestAbortedException;

/** Isolated: it sets the selectors that LocalInfraTestResource reads, and classes run two at a time. */
@Isolated
class ServersTest {

    @AfterEach
    void clearSelector() {
        System.clearProperty(Servers.SELECTOR);
        System.clearProperty(LocalInfraTestResource.KAFKA_SELECTOR);
    }

    @Test
    void embeddedServersUnlessContainersAreSelected() {
        assertEquals(Servers.EMBEDDED, Servers.selected());
        System.setProperty(Servers.SELECTOR, Servers.CONTAINERS);
        assertEquals(Servers.CONTAINERS, Servers.selected());
    }

    @Test
    void unknownSelectorFails() {
        System.setProperty(Servers.SELECTOR, "docker");
        assertThrows(IllegalArgumentException.class, Servers::selected);
    }

    @Test
    void testsThatRestartServersAreSkippedOnContainers() {
        System.setProperty(Servers.SELECTOR, Servers.CONTAINERS);
        assertThrows(TestAbortedException.class, LocalInfraTestResource::infra);
    }

    @Test
    void plaintextKafkaUnlessSecureIsSelected() {
        assertFalse(LocalInfraTestResource.secureKafkaSelected());
        System.setProperty(LocalInfraTestResource.KAFKA_SELECTOR, LocalInfraTestResource.SECURE_KAFKA);
        assertTrue(LocalInfraTestResource.secureKafkaSelected());
        System.setProperty(LocalInfraTestResource.KAFKA_SELECTOR, "tls");
        assertThrows(IllegalArgumentException.class, LocalInfraTestResource::secureKafkaSelected);
    }

    @Test
    void plaintextServersPointTheAppsAtTheirAddresses() {
        Servers plaintext = new Servers() {
            public Map<String, Object> kafkaClientConfig() { return Map.of("bootstrap.servers", "127.0.0.1:9092"); }
            public String jdbcUrl() { return "jdbc:postgresql://127.0.0.1:5432/ual"; }
            public String redisUrl() { return "redis://127.0.0.1:6379"; }
            public void close() { }
        };

        assertEquals("127.0.0.1:9092", plaintext.kafkaBootstrap());
        assertEquals(Servers.serviceEnv("127.0.0.1:9092", "jdbc:postgresql://127.0.0.1:5432/ual", "ual", "ual",
                "redis://127.0.0.1:6379"), plaintext.serviceEnv());
        assertEquals(Map.of("kafka.bootstrap.servers", "127.0.0.1:9092",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/ual",
                "quarkus.datasource.username", "ual",
                "quarkus.datasource.password", "ual",
                "quarkus.redis.hosts", "redis://127.0.0.1:6379"), plaintext.quarkusConfig());
    }

    @Test
    void kafkaClientSettingsBecomeKafkaPropertiesAndTheirEnvironmentVariables() {
        Map<String, Object> settings = Map.of("sasl.jaas.config", "x", "ssl.truststore.type", "PKCS12");

        assertEquals(Map.of("kafka.sasl.jaas.config", "x", "kafka.ssl.truststore.type", "PKCS12"),
                Servers.kafkaProperties(settings));
        assertEquals(Map.of("KAFKA_SASL_JAAS_CONFIG", "x", "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"), Servers.kafkaEnv(settings));
    }
}
