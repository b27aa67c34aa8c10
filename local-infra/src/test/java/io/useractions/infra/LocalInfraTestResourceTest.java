package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class LocalInfraTestResourceTest {

    @Test
    void quarkusConfigPointsAtRunningServersWithTheProjectTopics() throws Exception {
        Map<String, String> config = new LocalInfraTestResource().start();
        LocalInfra infra = LocalInfraTestResource.infra();

        assertEquals(infra.kafkaBootstrap(), config.get("kafka.bootstrap.servers"));
        assertSame(infra, LocalInfraTestResource.infra());
        assertTrue(infra.root().startsWith(Path.of("target").toAbsolutePath()), infra.root().toString());

        try (Admin admin = infra.kafka().admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    List.of(LocalInfra.RAW_TOPIC, LocalInfra.DLQ_TOPIC, LocalInfra.PROJECTION_TOPIC))
                    .allTopicNames().get(10, TimeUnit.SECONDS);
            assertEquals(3, topics.get("ui-actions").partitions().size());
            assertEquals(1, topics.get("ui-actions-dlq").partitions().size());
            assertEquals(3, topics.get("ui-actions-projection").partitions().size());
            ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, "ui-actions");
            Config rawConfig = admin.describeConfigs(List.of(raw)).all().get(10, TimeUnit.SECONDS).get(raw);
            assertEquals("-1", rawConfig.get("retention.ms").value());
        }

        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            assertEquals("ual", rs.getString(1));
        }

        URI redis = URI.create(config.get("quarkus.redis.hosts"));
        try (Resp resp = new Resp(redis.getHost(), redis.getPort())) {
            assertEquals("PONG", resp.call("PING"));
        }
    }
}
