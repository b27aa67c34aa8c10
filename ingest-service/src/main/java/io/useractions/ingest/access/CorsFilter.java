package io.useractions.ingest.access;

import java.util.Map;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vertx.core.http.HttpServerRequest;

/**
 * CORS from the study registry: browsers get CORS answers only for registered studies' origins, and a
 * refused preflight is a JSON 403 (through ErrorMapper) like every other error. Whether an origin may post to a particular
 * study is checked with the batch ({@link StudyRegistry#check}).
 */
public class CorsFilter {
    private final StudyRegistry registry;
    private final RateLimiter limiter;

    public CorsFilter(StudyRegistry registry, RateLimiter limiter) {
        this.registry = registry;
        this.limiter = limiter;
    }

    /** Preflights count against the client address's rate limit too, so a flood of them gets 429s. */
    @ServerRequestFilter(preMatching = true)
    public RestResponse<Void> preflight(ContainerRequestContext request, HttpServerRequest http) {
        String origin = request.getHeaderString("Origin");
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || origin == null
                || request.getHeaderString("Access-Control-Request-Method") == null) {
            return null;
        }
        limiter.acquire(http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress(), null);
        if (!registry.isKnownOrigin(origin)) {
            throw new AccessDeniedException(403, "origin_not_allowed",
                    "origin " + origin + " is not registered for any study");
        }
        return RestResponse.ResponseBuilder.<Void> create(200)
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "content-type")
                .header("Access-Control-Max-Age", "86400")
                .header("Vary", "Origin")
                .build();
    }

    @ServerResponseFilter
    public void allowKnownOrigin(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin != null && registry.isKnownOrigin(origin)
                && !response.getHeaders().containsKey("Access-Control-Allow-Origin")) {
            answerHeaders(origin).forEach(response.getHeaders()::add);
        }
    }

    /** What lets a registered origin's page read an answer: its status, body and Retry-After. */
    public static Map<String, String> answerHeaders(String origin) {
        return Map.of("Access-Control-Allow-Origin", origin, "Access-Control-Expose-Headers", "Retry-After",
                "Vary", "Origin");
    }
}
