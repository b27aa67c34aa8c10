package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void everyClientSettingGivenUnderKafkaIsTakenAndBlankOnesAreNot() {
        Map<String, String> config = Map.of("kafka.bootstrap.servers", "broker:9093",
                "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "login required;", "kafka.ssl.truststore.location", "/certs/ca.p12",
                "kafka.ssl.truststore.type", " ", "kafka.linger.ms", "5", "quarkus.http.port", "8080");
        assertEquals(Map.of("bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "login required;",
                "ssl.truststore.location", "/certs/ca.p12"),
                KafkaSettings.read(name -> Optional.ofNullable(config.get(name))));
    }

    @Test
    void withoutBootstrapServersItSaysWhatToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KafkaSettings.read(name -> Optional.empty()));
        assertEquals("kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS) is not set", e.getMessage());
    }
}
