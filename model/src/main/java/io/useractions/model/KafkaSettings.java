package io.useractions.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The connection and security settings that every Kafka client of the pipeline shares, read from the
 * {@code kafka.*} properties ({@code KAFKA_*} environment variables): the settings the SmallRye channels
 * take by themselves, given the same way to the clients the services build (the sink, the replay, the
 * dead-letter tools, the topic bootstrap, the console), so that TLS or SASL set once reaches them all.
 */
public final class KafkaSettings {
    /** The client settings taken from {@code kafka.<name>}. */
    public static final List<String> NAMES = List.of("bootstrap.servers", "security.protocol", "sasl.mechanism",
            "sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type",
            "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type", "ssl.key.password",
            "ssl.endpoint.identification.algorithm");

    private KafkaSettings() {
    }

    /** The settings given, by client setting name; {@code config} looks up a property by its full name. */
    public static Map<String, Object> read(Function<String, Optional<String>> config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String name : NAMES) {
            config.apply("kafka." + name).filter(value -> !value.isBlank()).ifPresent(value -> settings.put(name, value));
        }
        if (!settings.containsKey("bootstrap.servers")) {
            throw new IllegalStateException("kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS) is not set");
        }
        return settings;
    }
}
