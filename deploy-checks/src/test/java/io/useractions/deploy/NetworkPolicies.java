package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.maps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.useractions.deploy.Operated.Pod;

/**
 * The Kubernetes NetworkPolicy rules (networking.k8s.io/v1) over the pods of one namespace: whether a pod
 * may open a TCP connection to another on a port, and which rules let in anyone from outside the
 * namespace. A pod no policy isolates accepts (or opens) every connection; policies add up; a connection
 * needs the sender's egress and the receiver's ingress to allow it. An ipBlock counts as any address,
 * the namespace's pods included.
 */
final class NetworkPolicies {
    /**
     * A rule that lets in connections from outside the namespace: its policy (null: no policy isolates
     * the pod) and peer (null: any source).
     */
    record Outside(String policy, Map<String, Object> peer) {
        @Override
        public String toString() {
            if (policy == null) {
                return "no NetworkPolicy isolates the pod, so any source gets in";
            }
            return "NetworkPolicy " + policy + (peer == null ? " lets in any source" : " lets in " + peer);
        }
    }

    private final String namespace;
    private final List<Map<String, Object>> policies;

    NetworkPolicies(String namespace, List<Map<String, Object>> policies) {
        this.namespace = namespace;
        this.policies = policies;
    }

    boolean connects(Pod from, Pod to, int port) {
        return allows(from, to, port, "Egress") && allows(to, from, port, "Ingress");
    }

    /** Whether the subject's policies of this type (Ingress: connections to it, Egress: from it) let the other pod through. */
    boolean allows(Pod subject, Pod other, int port, String type) {
        List<Map<String, Object>> selecting = selecting(subject, type);
        if (selecting.isEmpty()) {
            return true;
        }
        Pod destination = type.equals("Ingress") ? subject : other;
        for (Map<String, Object> policy : selecting) {
            for (Map<String, Object> rule : maps(policy, "spec", type.toLowerCase())) {
                if (portMatches(rule, destination, port) && peersMatch(list(rule.get(type.equals("Ingress") ? "from" : "to")), other)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean isolated(Pod pod, String type) {
        return !selecting(pod, type).isEmpty();
    }

    /** The rules that let in a connection to the pod on the port from outside the namespace. */
    List<Outside> fromOutside(Pod to, int port) {
        List<Map<String, Object>> selecting = selecting(to, "Ingress");
        if (selecting.isEmpty()) {
            return List.of(new Outside(null, null));
        }
        List<Outside> out = new ArrayList<>();
        for (Map<String, Object> policy : selecting) {
            String name = K8s.name(policy);
            for (Map<String, Object> rule : maps(policy, "spec", "ingress")) {
                if (!portMatches(rule, to, port)) {
                    continue;
                }
                List<Object> from = list(rule.get("from"));
                if (from.isEmpty()) {
                    out.add(new Outside(name, null));
                }
                for (Object peer : from) {
                    if (map(peer).containsKey("namespaceSelector") || map(peer).containsKey("ipBlock")) {
                        out.add(new Outside(name, map(peer)));
                    }
                }
            }
        }
        return out;
    }

    private List<Map<String, Object>> selecting(Pod pod, String type) {
        return policies.stream().filter(p -> types(p).contains(type))
                .filter(p -> matches(map(at(p, "spec", "podSelector")), pod.labels())).toList();
    }

    /** spec.policyTypes, or by default Ingress and, when it has egress rules, Egress. */
    private static List<String> types(Map<String, Object> policy) {
        List<Object> declared = list(at(policy, "spec", "policyTypes"));
        if (!declared.isEmpty()) {
            return declared.stream().map(String::valueOf).toList();
        }
        return at(policy, "spec", "egress") == null ? List.of("Ingress") : List.of("Ingress", "Egress");
    }

    private static boolean portMatches(Map<String, Object> rule, Pod destination, int port) {
        List<Map<String, Object>> ports = maps(rule, "ports");
        if (ports.isEmpty()) {
            return true;
        }
        for (Map<String, Object> entry : ports) {
            if (!"TCP".equals(String.valueOf(entry.getOrDefault("protocol", "TCP")))) {
                continue;
            }
            Object declared = entry.get("port");
            if (declared == null) {
                return true;
            }
            if (declared instanceof Integer number) {
                int end = entry.get("endPort") instanceof Integer e ? e : number;
                if (port >= number && port <= end) {
                    return true;
                }
            } else if (Integer.valueOf(port).equals(destination.namedPorts().get(String.valueOf(declared)))) {
                return true;
            }
        }
        return false;
    }

    /** An empty peer list (or none) lets in everyone; otherwise the pod must match one peer. */
    private boolean peersMatch(List<Object> peers, Pod pod) {
        if (peers.isEmpty()) {
            return true;
        }
        for (Object item : peers) {
            Map<String, Object> peer = map(item);
            if (peer.containsKey("ipBlock")) {
                return true;
            }
            boolean namespaceMatches = !peer.containsKey("namespaceSelector")
                    || matches(map(peer.get("namespaceSelector")), Map.of("kubernetes.io/metadata.name", namespace));
            boolean podMatches = !peer.containsKey("podSelector") || matches(map(peer.get("podSelector")), pod.labels());
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    /** A label selector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); empty selects all. */
    static boolean matches(Map<String, Object> selector, Map<String, String> labels) {
        for (Map.Entry<String, Object> e : map(selector.get("matchLabels")).entrySet()) {
            if (!String.valueOf(e.getValue()).equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Map<String, Object> expression : maps(selector, "matchExpressions")) {
            String value = labels.get(String.valueOf(expression.get("key")));
            List<String> values = list(expression.get("values")).stream().map(String::valueOf).toList();
            boolean ok = switch (String.valueOf(expression.get("operator"))) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether the selector is empty, i.e. selects every pod (or namespace). */
    static boolean selectsAll(Object selector) {
        return map(selector).values().stream().allMatch(v -> v == null || map(v).isEmpty() && list(v).isEmpty());
    }
}
