package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

import redis.clients.jedis.Jedis;

import io.useractions.model.TopicSpec;
import io.useractions.model.Topics;
import io.useractions.topics.TopicCreator;

class LocalInfraTestResourceTest {

    @Test
    void quarkusConfigPointsAtRunningServersWithTheProjectTopics() throws Exception {
        Map<String, String> quarkus = new LocalInfraTestResource().start();
        LocalInfra infra = LocalInfraTestResource.infra();

        assertEquals(infra.kafkaBootstrap(), quarkus.get("kafka.bootstrap.servers"));
        assertSame(infra, LocalInfraTestResource.infra());
        assertTrue(infra.root().startsWith(Path.of("target").toAbsolutePath()), infra.root().toString());

        try (Admin admin = infra.kafka().admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.names()).allTopicNames().get(10, TimeUnit.SECONDS);
            for (TopicSpec spec : Topics.SPECS) {
                assertEquals(spec.partitions(LocalInfraTestResource.PARTITIONS), topics.get(spec.name()).partitions().size(),
                        spec.name());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
                spec.configs().forEach((name, value) -> assertEquals(value, config.get(name).value(), spec.name() + " " + name));
            }
            assertEquals(List.of(), TopicCreator.createMissing(admin, LocalInfraTestResource.PARTITIONS),
                    "existing topics are left as they are");
        }

        try (Connection c = DriverManager.getConnection(quarkus.get("quarkus.datasource.jdbc.url"),
                quarkus.get("quarkus.datasource.username"), quarkus.get("quarkus.datasource.password"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            assertEquals("ual", rs.getString(1));
        }

        URI redis = URI.create(quarkus.get("quarkus.redis.hosts"));
        try (Jedis jedis = new Jedis(redis.getHost(), redis.getPort())) {
            assertEquals("PONG", jedis.ping());
        }
    }

    /** What a copy of the class in another profile's class loader finds: the same servers, not a second set. */
    @Test
    void anotherCopyOfTheClassAttachesToTheSameServers() throws Exception {
        LocalInfra owner = LocalInfraTestResource.infra();
        String shared = System.getProperty(LocalInfraTestResource.SHARED_SERVERS);

        LocalInfra attached = LocalInfra.attach(LocalInfraTestResource.sharedConfig(shared));

        assertEquals(owner.root(), attached.root());
        assertEquals(owner.quarkusConfig(), attached.quarkusConfig());
        assertEquals(owner.kafkaClientConfig(), attached.kafkaClientConfig());
        try (Admin admin = attached.kafka().admin()) {
            assertTrue(admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(Topics.names()));
        }
        try (Connection c = attached.postgres().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_database()")) {
            rs.next();
            assertEquals("ual", rs.getString(1));
        }
        IllegalStateException restart = assertThrows(IllegalStateException.class, () -> attached.redis().start());
        assertTrue(restart.getMessage().contains("already in use"), restart.getMessage());
        assertThrows(IllegalStateException.class, () -> LocalInfraTestResource.sharedConfig("target/x,1,2"));
        LocalInfra.Config commaInRoot = LocalInfraTestResource.sharedConfig("/a,b/root,1,2,3,4,true");
        assertEquals(Path.of("/a,b/root"), commaInRoot.root());
        assertEquals(List.of(1, 2, 3, 4), List.of(commaInRoot.kafkaPort(), commaInRoot.kafkaControllerPort(),
                commaInRoot.postgresPort(), commaInRoot.redisPort()));
        assertTrue(commaInRoot.secureKafka());
    }
}
