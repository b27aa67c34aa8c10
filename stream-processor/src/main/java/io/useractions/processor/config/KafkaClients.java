package io.useractions.processor.config;

import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.useractions.model.KafkaSettings;

/** The processor's own Kafka clients start from these properties: the shared connection and security settings. */
@ApplicationScoped
public class KafkaClients {
    private final Map<String, Object> settings;

    public KafkaClients(Config config) {
        this.settings = KafkaSettings.read(name -> config.getOptionalValue(name, String.class));
    }

    /** A fresh copy, for a client to add its own settings to. */
    public Properties properties() {
        Properties props = new Properties();
        props.putAll(settings);
        return props;
    }
}
