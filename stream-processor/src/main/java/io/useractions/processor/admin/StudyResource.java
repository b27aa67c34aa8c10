package io.useractions.processor.admin;

import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.useractions.processor.studies.StudyException;
import io.useractions.processor.studies.StudyInput;
import io.useractions.processor.studies.StudyStore;
import io.useractions.processor.studies.StudyViews;

/**
 * Studies at runtime (admin credential required, see application.properties): register, list, show,
 * close, reopen, delete, rotate the write key, edit the origins and the retention. The ingest services
 * read the tables this writes every few seconds; a key is answered once, when it is made, and stored only as its hash.
 */
@Path("/admin/studies")
@Produces(MediaType.APPLICATION_JSON)
public class StudyResource {
    private static final Logger LOG = Logger.getLogger(StudyResource.class);

    private final StudyStore store;

    public StudyResource(StudyStore store) {
        this.store = store;
    }

    public record Registration(String id, List<String> origins, String retention) {
    }

    public record Origins(List<String> origins) {
    }

    public record Retention(String retention) {
    }

    @POST
    public RestResponse<StudyViews.Issued> register(Registration body, @Context SecurityContext security) {
        if (body == null) {
            throw new StudyException(400, "invalid_body", null, "send {\"id\": ..., \"origins\": [...]} as JSON");
        }
        String id = StudyInput.id(body.id());
        List<String> origins = StudyInput.origins(body.origins());
        Duration retention = StudyInput.duration(body.retention(), "retention", StudyInput.MAX_RETENTION);
        return RestResponse.status(RestResponse.Status.CREATED, store.register(id, origins, retention, actor(security)));
    }

    @GET
    public List<StudyViews.Study> list() {
        return store.list();
    }

    @GET
    @Path("{id}")
    public StudyViews.Study show(@RestPath String id) {
        return store.show(id);
    }

    @POST
    @Path("{id}/close")
    public StudyViews.Study close(@RestPath String id, @Context SecurityContext security) {
        return store.setState(id, "closed", actor(security));
    }

    @POST
    @Path("{id}/reopen")
    public StudyViews.Study reopen(@RestPath String id, @Context SecurityContext security) {
        return store.setState(id, "open", actor(security));
    }

    @PUT
    @Path("{id}/origins")
    public StudyViews.Study origins(@RestPath String id, Origins body, @Context SecurityContext security) {
        if (body == null || body.origins() == null) {
            throw new StudyException(400, "invalid_body", "origins", "send {\"origins\": [...]} as JSON");
        }
        return store.origins(id, StudyInput.origins(body.origins()), actor(security));
    }

    /** A new write key; the keys working now keep working for {@code overlap} (default 10m), then stop. */
    @POST
    @Path("{id}/keys")
    public StudyViews.Issued rotate(@RestPath String id, @RestQuery String overlap, @Context SecurityContext security) {
        Duration window = StudyInput.duration(overlap == null ? "10m" : overlap, "overlap", StudyInput.MAX_OVERLAP);
        return store.rotate(id, window, actor(security));
    }

    /**
     * Marks the study deleted and deletes its rows everywhere in one transaction, under the lock the sink's
     * transactions take: no row of the study is committed after it (docs/studies.md).
     */
    @DELETE
    @Path("{id}")
    public StudyViews.Deleted delete(@RestPath String id, @Context SecurityContext security) {
        String actor = actor(security);
        var deleted = store.delete(id, actor);
        LOG.infof("Study %s deleted by %s: rows %s", id, actor, deleted);
        return new StudyViews.Deleted(store.show(id), deleted);
    }

    /** Sets the retention ({@code {"retention": "P30D"}}), or clears it ({@code {"retention": null}}). */
    @PUT
    @Path("{id}/retention")
    public StudyViews.Study retention(@RestPath String id, Retention body, @Context SecurityContext security) {
        if (body == null) {
            throw new StudyException(400, "invalid_body", "retention",
                    "send {\"retention\": \"P30D\"} (or null to keep the data until deleted) as JSON");
        }
        Duration retention = StudyInput.duration(body.retention(), "retention", StudyInput.MAX_RETENTION);
        return store.retention(id, retention, actor(security));
    }

    private static String actor(SecurityContext security) {
        return security.getUserPrincipal() == null ? "anonymous" : security.getUserPrincipal().getName();
    }
}
