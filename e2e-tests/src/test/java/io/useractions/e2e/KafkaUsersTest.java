package io.useractions.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaUsersTest {

    private static final String HEADER = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaUser
            metadata:
              name: %s
            spec:
              authentication:
                type: scram-sha-512
              authorization:
                type: simple
                acls:
            """;

    @Test
    void eachRuleBecomesOneBindingPerOperationForTheUsersPrincipal() {
        String yaml = HEADER.formatted("app") + """
                      - resource: {type: topic, name: in, patternType: literal}
                        operations: [Read, Describe]
                      - resource: {type: transactionalId, name: app-, patternType: prefix}
                        operations: [Write]
                      - resource: {type: group, name: app}
                        operation: Read
                      - resource: {type: cluster}
                        operations: [IdempotentWrite, DescribeConfigs]
                      - resource: {type: topic, name: secret}
                        type: deny
                        host: 10.0.0.1
                        operations: [All]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: not-a-user
                """;

        Map<String, List<AclBinding>> users = KafkaUsers.parse(yaml);

        assertEquals(List.of("app"), List.copyOf(users.keySet()));
        assertEquals(List.of(
                allow(ResourceType.TOPIC, "in", PatternType.LITERAL, AclOperation.READ),
                allow(ResourceType.TOPIC, "in", PatternType.LITERAL, AclOperation.DESCRIBE),
                allow(ResourceType.TRANSACTIONAL_ID, "app-", PatternType.PREFIXED, AclOperation.WRITE),
                allow(ResourceType.GROUP, "app", PatternType.LITERAL, AclOperation.READ),
                allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE),
                allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS),
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, "secret", PatternType.LITERAL),
                        new AccessControlEntry("User:app", "10.0.0.1", AclOperation.ALL, AclPermissionType.DENY))),
                users.get("app"));
    }

    @Test
    void whatTheTranslationDoesNotKnowFails() {
        for (String rule : List.of(
                "      - resource: {type: delegationToken, name: x}\n        operations: [Read]\n",
                "      - resource: {type: topic, name: x, patternType: regex}\n        operations: [Read]\n",
                "      - resource: {type: topic, name: x}\n        operations: [Fly]\n",
                "      - resource: {type: topic, name: x}\n        operations: [Any]\n",
                "      - resource: {type: topic, name: x}\n")) {
            assertThrows(IllegalArgumentException.class, () -> KafkaUsers.parse(HEADER.formatted("app") + rule), rule);
        }
        assertThrows(IllegalArgumentException.class, () -> KafkaUsers.parse(HEADER.formatted("app")
                .replace("type: simple", "type: opa")));
    }

    @Test
    void theManifestHasOneUserPerKafkaClientOfThePipeline() {
        Map<String, List<AclBinding>> users = KafkaUsers.read(KafkaUsers.MANIFEST);

        assertEquals(List.of("ual-ingest", "ual-processor", "ual-replay", "ual-console"), List.copyOf(users.keySet()));
        users.forEach((name, acls) -> {
            assertTrue(!acls.isEmpty(), name);
            acls.forEach(acl -> assertEquals("User:" + name, acl.entry().principal(), acl.toString()));
        });
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:app", "*", operation, AclPermissionType.ALLOW));
    }
}
