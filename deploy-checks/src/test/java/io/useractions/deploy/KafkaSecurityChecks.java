package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.maps;
import static io.useractions.deploy.Yamls.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.useractions.deploy.KafkaAccess.Acl;
import io.useractions.deploy.KafkaAccess.Client;

/**
 * Kafka is encrypted and authenticated, and each client may do only what its code does: every listener
 * is TLS with SCRAM-SHA-512, the cluster authorizes (simple ACLs) and runs the User Operator; every
 * Kafka client's container gets the shared KAFKA_* security settings, its own KafkaUser's JAAS
 * configuration and the cluster CA as a mounted PKCS12 truststore; every KafkaUser's ACLs are exactly
 * those its client needs (KafkaAccess).
 */
final class KafkaSecurityChecks {
    static final String SCRAM = "scram-sha-512";

    private final KubeChecks kube;
    private final List<String> problems = new ArrayList<>();

    KafkaSecurityChecks(KubeChecks kube) {
        this.kube = kube;
    }

    List<String> run() {
        List<Map<String, Object>> kafkas = K8s.ofKind(kube.objects(), "Kafka");
        List<Map<String, Object>> users = K8s.ofKind(kube.objects(), "KafkaUser");
        for (Map<String, Object> kafka : kafkas) {
            cluster(kafka, !users.isEmpty());
        }
        Map<String, Set<Client>> clientsByUser = new LinkedHashMap<>();
        for (Map<String, Object> workload : kube.workloads()) {
            for (Map<String, Object> container : K8s.containers(workload)) {
                Optional<AppModule> module = kube.serviceOf(container);
                if (module.isEmpty() || !module.get().usesKafka()) {
                    continue;
                }
                List<String> args = list(container.get("args")).stream().map(String::valueOf).toList();
                Client client = Client.of(module.get(), args).orElse(null);
                if (client == null) {
                    problems.add(K8s.id(workload) + ": " + module.get().artifactId() + " is a Kafka client KafkaAccess does not know");
                    continue;
                }
                clientContainer(workload, container, module.get(), client, kafkas)
                        .ifPresent(user -> clientsByUser.computeIfAbsent(user, u -> new LinkedHashSet<>()).add(client));
            }
        }
        for (Map<String, Object> user : users) {
            String name = K8s.name(user);
            Set<Client> clients = clientsByUser.getOrDefault(name, Set.of());
            if (clients.isEmpty()) {
                problems.add(K8s.id(user) + ": no workload uses it (credentials that nobody needs)");
            } else if (clients.size() > 1) {
                problems.add(K8s.id(user) + ": shared by " + clients + ": each Kafka client gets a user of its own");
            }
            if (!SCRAM.equals(str(user, "spec", "authentication", "type"))) {
                problems.add(K8s.id(user) + ": authentication " + str(user, "spec", "authentication", "type")
                        + ", the clients log in with " + SCRAM);
            }
            if (!"simple".equals(KafkaAccess.authorizationType(user))) {
                problems.add(K8s.id(user) + ": authorization must be simple ACLs (spec.authorization.type: simple)");
            }
            if (kafkas.stream().noneMatch(k -> K8s.name(k).equals(str(user, "metadata", "labels", "strimzi.io/cluster")))) {
                problems.add(K8s.id(user) + ": label strimzi.io/cluster names no Kafka of the overlay");
            }
        }
        return problems;
    }

    private void cluster(Map<String, Object> kafka, boolean hasUsers) {
        String id = K8s.id(kafka);
        List<Map<String, Object>> listeners = maps(kafka, "spec", "kafka", "listeners");
        for (Map<String, Object> listener : listeners) {
            String where = id + ": listener " + listener.get("name") + " (port " + listener.get("port") + ")";
            if (!Boolean.TRUE.equals(listener.get("tls"))) {
                problems.add(where + " is not TLS: passwords and every action would cross the network in clear");
            }
            String authentication = str(listener, "authentication", "type");
            if (!SCRAM.equals(authentication)) {
                problems.add(where + " authenticates with " + (authentication == null ? "nothing" : authentication)
                        + ", not " + SCRAM + " (the clients' SASL mechanism)");
            }
        }
        if (!"simple".equals(str(kafka, "spec", "kafka", "authorization", "type"))) {
            problems.add(id + ": no authorization (spec.kafka.authorization.type: simple): every user could read and write every topic");
        }
        if (hasUsers && at(kafka, "spec", "entityOperator", "userOperator") == null) {
            problems.add(id + ": no User Operator (spec.entityOperator.userOperator), so no KafkaUser gets its credentials");
        }
    }

    /** Checks one Kafka client's container; returns the KafkaUser it logs in as, if any. */
    private Optional<String> clientContainer(Map<String, Object> workload, Map<String, Object> container, AppModule module,
            Client client, List<Map<String, Object>> kafkas) {
        String id = K8s.id(workload) + " (" + client.label() + ")";
        Map<String, KubeChecks.EnvValue> env = kube.environment(container);
        String bootstrap = value(env, "KAFKA_BOOTSTRAP_SERVERS");
        Map<String, Object> kafka = null;
        for (Map<String, Object> k : kafkas) {
            for (Map<String, Object> listener : maps(k, "spec", "kafka", "listeners")) {
                if ((K8s.name(k) + "-kafka-bootstrap:" + listener.get("port")).equals(bootstrap)) {
                    kafka = k;
                    if (!Boolean.TRUE.equals(listener.get("tls")) || !SCRAM.equals(str(listener, "authentication", "type"))) {
                        problems.add(id + ": KAFKA_BOOTSTRAP_SERVERS=" + bootstrap + " is listener " + listener.get("name")
                                + ", which is not TLS with " + SCRAM);
                    }
                }
            }
        }
        if (kafka == null) {
            problems.add(id + ": KAFKA_BOOTSTRAP_SERVERS=" + bootstrap + " is no listener of the overlay's Kafka");
            return Optional.empty();
        }
        String cluster = K8s.name(kafka);
        expect(id, env, "KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        expect(id, env, "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        expect(id, env, "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
        String caSecret = cluster + "-cluster-ca-cert";
        fromSecret(id, env, "KAFKA_SSL_TRUSTSTORE_PASSWORD", caSecret, "ca.password");
        truststore(id, workload, container, value(env, "KAFKA_SSL_TRUSTSTORE_LOCATION"), caSecret);

        KubeChecks.EnvValue jaas = env.get("KAFKA_SASL_JAAS_CONFIG");
        if (jaas == null || jaas.secretName() == null) {
            problems.add(id + ": KAFKA_SASL_JAAS_CONFIG must come from its KafkaUser's Secret (key sasl.jaas.config)"
                    + (jaas == null ? ", it is not set" : ", not a literal value"));
            return Optional.empty();
        }
        if (!"sasl.jaas.config".equals(jaas.secretKey())) {
            problems.add(id + ": KAFKA_SASL_JAAS_CONFIG comes from key " + jaas.secretKey() + " of Secret "
                    + jaas.secretName() + ", not sasl.jaas.config");
        }
        Optional<Map<String, Object>> user = K8s.find(kube.objects(), "KafkaUser", jaas.secretName());
        if (user.isEmpty()) {
            problems.add(id + ": logs in with Secret " + jaas.secretName() + ", but there is no KafkaUser " + jaas.secretName()
                    + " (every Kafka client has its own user, whose Secret Strimzi creates)");
            return Optional.of(jaas.secretName());
        }
        if (!cluster.equals(str(user.get(), "metadata", "labels", "strimzi.io/cluster"))) {
            problems.add(id + ": KafkaUser " + jaas.secretName() + " belongs to no cluster " + cluster);
        }
        Map<String, String> values = kube.environmentValues(container);
        Set<Acl> required = KafkaAccess.required(client, property -> module.setting(property, values).orElse(null));
        Set<Acl> granted = KafkaAccess.granted(user.get());
        Set<Acl> extra = new TreeSet<>(granted);
        extra.removeAll(required);
        Set<Acl> missing = new TreeSet<>(required);
        missing.removeAll(granted);
        if (!extra.isEmpty()) {
            problems.add(K8s.id(user.get()) + " allows more than " + client.label() + " needs: " + extra);
        }
        if (!missing.isEmpty()) {
            problems.add(K8s.id(user.get()) + " lacks what " + client.label() + " needs: " + missing);
        }
        return Optional.of(jaas.secretName());
    }

    /** The truststore path is the CA Secret's ca.p12 as mounted into this container. */
    private void truststore(String id, Map<String, Object> workload, Map<String, Object> container, String location, String caSecret) {
        Set<String> mounted = new LinkedHashSet<>();
        for (Map<String, Object> volume : maps(K8s.podSpec(workload), "volumes")) {
            if (!caSecret.equals(str(volume, "secret", "secretName"))) {
                continue;
            }
            List<Map<String, Object>> items = maps(volume, "secret", "items");
            String file = items.isEmpty() ? "ca.p12" : items.stream().filter(i -> "ca.p12".equals(i.get("key")))
                    .map(i -> String.valueOf(i.get("path"))).findFirst().orElse(null);
            for (Map<String, Object> mount : maps(container, "volumeMounts")) {
                if (Objects.equals(mount.get("name"), volume.get("name")) && file != null) {
                    mounted.add(String.valueOf(mount.get("mountPath")).replaceAll("/+$", "") + "/" + file);
                }
            }
        }
        if (mounted.isEmpty()) {
            problems.add(id + ": the cluster CA (Secret " + caSecret + ", key ca.p12) is not mounted into the container");
        } else if (!mounted.contains(location)) {
            problems.add(id + ": KAFKA_SSL_TRUSTSTORE_LOCATION=" + location + " is not the mounted cluster CA " + mounted);
        }
    }

    private void expect(String id, Map<String, KubeChecks.EnvValue> env, String variable, String expected) {
        String actual = value(env, variable);
        if (!expected.equals(actual)) {
            problems.add(id + ": " + variable + "=" + actual + ", the Kafka listener needs " + expected);
        }
    }

    private void fromSecret(String id, Map<String, KubeChecks.EnvValue> env, String variable, String secret, String key) {
        KubeChecks.EnvValue value = env.get(variable);
        if (value == null || !secret.equals(value.secretName()) || !key.equals(value.secretKey())) {
            problems.add(id + ": " + variable + " must come from Secret " + secret + " key " + key + " (Strimzi's), not "
                    + (value == null ? "nowhere" : value.secretName() == null ? "a literal" : value.secretName() + "/" + value.secretKey()));
        }
    }

    private static String value(Map<String, KubeChecks.EnvValue> env, String variable) {
        KubeChecks.EnvValue value = env.get(variable);
        return value == null ? null : value.value() != null ? value.value() : "secret:" + value.secretName();
    }
}
