package io.useractions.study;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

/**
 * Balanced random assignment: a new participant gets a condition with the fewest participants so far
 * (ties broken at random); a known participant keeps theirs. Kept in memory: a study that must survive
 * restarts passes {@code ?condition=} from its recruitment links instead.
 */
@Path("/api/assignment")
public class AssignmentResource {
    private final List<String> conditions;
    private final Map<String, String> assigned = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    public AssignmentResource(StudyConfig config) {
        this.conditions = List.copyOf(config.conditions());
        conditions.forEach(condition -> counts.put(condition, 0));
    }

    public record Assignment(String participant, String condition) {
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public synchronized Assignment assign(@RestQuery String participant) {
        String id = participant == null || participant.isBlank() ? "p-" + UUID.randomUUID().toString().substring(0, 8)
                : participant.trim();
        String condition = assigned.computeIfAbsent(id, ignored -> leastUsed());
        return new Assignment(id, condition);
    }

    private String leastUsed() {
        int fewest = counts.values().stream().min(Integer::compare).orElse(0);
        List<String> candidates = conditions.stream().filter(c -> counts.get(c) == fewest).toList();
        String chosen = candidates.get(random.nextInt(candidates.size()));
        counts.merge(chosen, 1, Integer::sum);
        return chosen;
    }
}
