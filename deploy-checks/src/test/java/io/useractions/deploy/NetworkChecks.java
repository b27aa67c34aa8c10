package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.maps;
import static io.useractions.deploy.Yamls.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.useractions.deploy.NetworkPolicies.Outside;
import io.useractions.deploy.Operated.Pod;

/**
 * The overlay's NetworkPolicies (with Strimzi's for the Kafka listeners) against what each service uses,
 * read from its properties: a service connects to Kafka, PostgreSQL and Redis exactly when it uses them;
 * those servers let in no other pod and nothing from outside the namespace (but their operator); only
 * the workloads behind an Ingress accept connections from outside, and only from a namespace (the
 * ingress controller's); every service's egress is restricted.
 */
final class NetworkChecks {
    /** Kafka, PostgreSQL or Redis: the pods behind the address the services are given, and the port on each. */
    private record Server(String name, String address, Map<Pod, Integer> ports) {
        @Override
        public String toString() {
            return name + " (" + address + ")";
        }
    }

    private final KubeChecks kube;
    private final List<String> problems = new ArrayList<>();
    private final Map<Map<String, Object>, Pod> workloadPods = new LinkedHashMap<>();
    private final List<Pod> allPods = new ArrayList<>();
    private NetworkPolicies policies;

    NetworkChecks(KubeChecks kube) {
        this.kube = kube;
    }

    List<String> run() {
        for (Map<String, Object> workload : kube.workloads()) {
            Map<String, String> labels = new LinkedHashMap<>();
            K8s.podLabels(workload).forEach((k, v) -> labels.put(k, String.valueOf(v)));
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (Map<String, Object> container : K8s.containers(workload)) {
                for (Map<String, Object> port : maps(container, "ports")) {
                    if (port.get("name") != null && port.get("containerPort") instanceof Integer p) {
                        ports.put(String.valueOf(port.get("name")), p);
                    }
                }
            }
            Pod pod = new Pod(K8s.id(workload), labels, ports);
            workloadPods.put(workload, pod);
            allPods.add(pod);
        }
        allPods.addAll(kube.operated().pods());
        String namespace = kube.objects().stream().map(o -> str(o, "metadata", "namespace")).filter(n -> n != null)
                .findFirst().orElse("default");
        List<Map<String, Object>> all = new ArrayList<>(K8s.ofKind(kube.objects(), "NetworkPolicy"));
        all.addAll(K8s.ofKind(kube.operated().objects(), "NetworkPolicy"));
        policies = new NetworkPolicies(namespace, all);

        List<Server> servers = servers();
        Set<Pod> serverPods = new LinkedHashSet<>();
        servers.forEach(s -> serverPods.addAll(s.ports().keySet()));
        for (Server server : servers) {
            whoReaches(server);
            whoIsLetIn(server);
        }
        publicOnlyBehindIngress(serverPods);
        return problems;
    }

    /** The servers the services are pointed at, with what each service module needs. */
    private List<Server> servers() {
        Map<String, Server> servers = new LinkedHashMap<>();
        for (Map<String, Object> workload : kube.workloads()) {
            for (Map<String, Object> container : K8s.containers(workload)) {
                if (kube.serviceOf(container).isEmpty()) {
                    continue;
                }
                Map<String, String> env = kube.environmentValues(container);
                Optional.ofNullable(env.get("KAFKA_BOOTSTRAP_SERVERS")).ifPresent(address -> kafka(address)
                        .ifPresent(s -> servers.putIfAbsent("Kafka", s)));
                Optional.ofNullable(env.get("QUARKUS_DATASOURCE_JDBC_URL")).ifPresent(url -> behindService("PostgreSQL", url,
                        "^jdbc:postgresql://([^:/]+):(\\d+)/").ifPresent(s -> servers.putIfAbsent("PostgreSQL", s)));
                Optional.ofNullable(env.get("QUARKUS_REDIS_HOSTS")).ifPresent(url -> behindService("Redis", url,
                        "^redis://([^:/]+):(\\d+)").ifPresent(s -> servers.putIfAbsent("Redis", s)));
            }
        }
        return new ArrayList<>(servers.values());
    }

    private Optional<Server> kafka(String address) {
        for (Map<String, Object> kafka : K8s.ofKind(kube.objects(), "Kafka")) {
            String cluster = K8s.name(kafka);
            for (Map<String, Object> listener : maps(kafka, "spec", "kafka", "listeners")) {
                if ((cluster + "-kafka-bootstrap:" + listener.get("port")).equals(address)) {
                    Map<Pod, Integer> ports = new LinkedHashMap<>();
                    allPods.stream().filter(p -> cluster.equals(p.labels().get("strimzi.io/cluster"))
                            && "true".equals(p.labels().get("strimzi.io/broker-role")))
                            .forEach(p -> ports.put(p, (Integer) listener.get("port")));
                    return Optional.of(new Server("Kafka", address, ports));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Server> behindService(String name, String url, String regex) {
        Matcher m = Pattern.compile(regex).matcher(url);
        if (!m.find()) {
            return Optional.empty();
        }
        Optional<Map<String, Object>> service = kube.find("Service", m.group(1));
        if (service.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> selector = map(at(service.get(), "spec", "selector"));
        Object target = maps(service.get(), "spec", "ports").stream()
                .filter(p -> m.group(2).equals(String.valueOf(p.get("port"))))
                .map(p -> p.getOrDefault("targetPort", p.get("port"))).findFirst().orElse(null);
        Map<Pod, Integer> ports = new LinkedHashMap<>();
        for (Pod pod : allPods) {
            Map<String, Object> labels = new LinkedHashMap<>(pod.labels());
            Integer port = target instanceof Integer p ? Integer.valueOf(p) : pod.namedPorts().get(String.valueOf(target));
            if (K8s.selects(selector, labels) && port != null) {
                ports.put(pod, port);
            }
        }
        return Optional.of(new Server(name, m.group(1) + ":" + m.group(2), ports));
    }

    private static boolean needs(AppModule module, Server server) {
        return switch (server.name()) {
            case "Kafka" -> module.usesKafka();
            case "PostgreSQL" -> module.usesDatabase();
            case "Redis" -> module.usesRedis();
            default -> false;
        };
    }

    private Optional<AppModule> module(Pod pod) {
        return workloadPods.entrySet().stream().filter(e -> e.getValue() == pod).findFirst()
                .flatMap(e -> K8s.containers(e.getKey()).stream().map(kube::serviceOf).flatMap(Optional::stream).findFirst());
    }

    /** Each service connects to the server exactly when it uses it; and its egress is restricted at all. */
    private void whoReaches(Server server) {
        for (Map.Entry<Map<String, Object>, Pod> entry : workloadPods.entrySet()) {
            Pod pod = entry.getValue();
            Optional<AppModule> module = module(pod);
            if (module.isEmpty()) {
                continue;
            }
            boolean reaches = server.ports().entrySet().stream().anyMatch(e -> policies.connects(pod, e.getKey(), e.getValue()));
            boolean needs = needs(module.get(), server);
            if (reaches && !needs) {
                problems.add(pod.id() + " can connect to " + server + ", which " + module.get().artifactId()
                        + " does not use (NetworkPolicies)");
            } else if (!reaches && needs) {
                problems.add(pod.id() + " cannot connect to " + server + ", which " + module.get().artifactId()
                        + " uses (NetworkPolicies)");
            }
        }
    }

    /** The server's pods let in the services that use it, their own operator-made peers, and nobody else. */
    private void whoIsLetIn(Server server) {
        for (Map.Entry<Pod, Integer> target : server.ports().entrySet()) {
            Pod pod = target.getKey();
            int port = target.getValue();
            String where = server + " on " + pod.id() + ", port " + port;
            boolean operated = kube.operated().pods().contains(pod);
            for (Outside outside : policies.fromOutside(pod, port)) {
                boolean operator = operated && outside.peer() != null && !outside.peer().containsKey("ipBlock")
                        && !NetworkPolicies.selectsAll(outside.peer().get("namespaceSelector"))
                        && outside.peer().containsKey("podSelector") && !NetworkPolicies.selectsAll(outside.peer().get("podSelector"));
                if (!operator) {
                    problems.add(where + ": accepts connections from outside the namespace: " + outside);
                }
            }
            for (Pod other : allPods) {
                if (other == pod || !policies.allows(pod, other, port, "Ingress")) {
                    continue;
                }
                boolean user = module(other).map(m -> needs(m, server)).orElse(false);
                if (!user) {
                    problems.add(where + ": its NetworkPolicies let in " + other.id() + ", which does not use it");
                }
            }
        }
    }

    /**
     * Only the pods behind an Ingress accept connections from outside the namespace, on the backend's port
     * and from a namespace (the ingress controller's); every service's egress is restricted.
     */
    private void publicOnlyBehindIngress(Set<Pod> serverPods) {
        Map<Pod, Set<Integer>> backends = new LinkedHashMap<>();
        for (Map<String, Object> ingress : K8s.ofKind(kube.objects(), "Ingress")) {
            for (Map<String, Object> rule : maps(ingress, "spec", "rules")) {
                for (Map<String, Object> path : maps(rule, "http", "paths")) {
                    Object port = Optional.ofNullable(at(path, "backend", "service", "port", "name"))
                            .orElse(at(path, "backend", "service", "port", "number"));
                    kube.find("Service", str(path, "backend", "service", "name")).ifPresent(service -> {
                        for (Map<String, Object> p : maps(service, "spec", "ports")) {
                            if (!String.valueOf(port).equals(String.valueOf(p.get("name")))
                                    && !String.valueOf(port).equals(String.valueOf(p.get("port")))) {
                                continue;
                            }
                            Object target = p.getOrDefault("targetPort", p.get("port"));
                            workloadPods.forEach((workload, pod) -> {
                                Integer number = target instanceof Integer t ? Integer.valueOf(t) : pod.namedPorts().get(String.valueOf(target));
                                if (K8s.selects(map(at(service, "spec", "selector")), K8s.podLabels(workload)) && number != null) {
                                    backends.computeIfAbsent(pod, k -> new LinkedHashSet<>()).add(number);
                                }
                            });
                        }
                    });
                }
            }
        }
        for (Pod pod : workloadPods.values()) {
            if (module(pod).isPresent() && !policies.isolated(pod, "Egress")) {
                problems.add(pod.id() + " may open connections anywhere: no NetworkPolicy restricts its egress");
            }
            if (serverPods.contains(pod)) {
                continue;
            }
            Set<Integer> ports = new LinkedHashSet<>(pod.namedPorts().values());
            ports.addAll(backends.getOrDefault(pod, Set.of()));
            for (int port : ports) {
                List<Outside> outside = policies.fromOutside(pod, port);
                boolean backend = backends.getOrDefault(pod, Set.of()).contains(port);
                if (!backend && !outside.isEmpty()) {
                    problems.add(pod.id() + " accepts connections on port " + port + " from outside the namespace (" + outside
                            + "), but no Ingress leads to it");
                }
                for (Outside o : backend ? outside : List.<Outside>of()) {
                    if (o.peer() == null || o.peer().containsKey("ipBlock") || NetworkPolicies.selectsAll(o.peer().get("namespaceSelector"))) {
                        problems.add(pod.id() + " accepts connections on port " + port + " from anywhere (" + o
                                + "): let in only the ingress controller's namespace");
                    }
                }
                if (backend && outside.isEmpty()) {
                    problems.add(pod.id() + " is behind an Ingress, but no NetworkPolicy lets the ingress controller in on port " + port);
                }
            }
        }
    }
}
