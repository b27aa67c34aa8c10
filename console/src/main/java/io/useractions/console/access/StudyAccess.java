package io.useractions.console.access;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.SecurityIdentity;
import io.useractions.console.rest.ErrorMapper;
import io.useractions.model.ApiError;

/** A reader signed in with one study's read key reaches that study's API only; the admin reaches all. */
public class StudyAccess {
    @Inject
    SecurityIdentity identity;

    @ServerRequestFilter
    public Response check(UriInfo uri) {
        String study = uri.getPathParameters().getFirst("study");
        if (study == null || identity.hasRole(ConsoleIdentityProvider.ADMIN)) {
            return null;
        }
        Object readable = identity.getAttribute(ConsoleIdentityProvider.STUDY);
        if (study.equals(readable)) {
            return null;
        }
        return ErrorMapper.answer(new ApiError(403, "forbidden", "study",
                "signed in for study '" + readable + "', which is not study '" + study + "'", null));
    }
}
