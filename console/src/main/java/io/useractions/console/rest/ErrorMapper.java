package io.useractions.console.rest;

import java.sql.SQLException;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.useractions.research.export.ExportRequestException;
import io.useractions.research.export.UnknownStudyException;
import io.useractions.research.heatmap.OverlayException;

/** Errors as JSON: a bad request names its problem, an unknown study is a 404, a database failure a 503. */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response badRequest(ExportRequestException e) {
        Response.Status status = e instanceof UnknownStudyException ? Response.Status.NOT_FOUND
                : Response.Status.BAD_REQUEST;
        return json(status, e.getMessage());
    }

    @ServerExceptionMapper
    public Response overlay(OverlayException e) {
        return json(e.tooLarge() ? Response.Status.REQUEST_ENTITY_TOO_LARGE : Response.Status.BAD_REQUEST,
                e.getMessage());
    }

    @ServerExceptionMapper
    public Response screenshot(HeatmapResource.UnknownScreenshotException e) {
        return json(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response database(SQLException e) {
        LOG.warnf("Export failed before streaming: %s", e.getMessage());
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .type(MediaType.APPLICATION_JSON).entity(Map.of("error", "database unavailable: " + e.getMessage()))
                .build();
    }

    private static Response json(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
