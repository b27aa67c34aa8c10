package io.useractions.console.rest;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.useractions.console.config.ConsoleConfig;
import io.useractions.research.export.ExportRequestException;
import io.useractions.research.heatmap.HeatGrid;
import io.useractions.research.heatmap.HeatmapPng;
import io.useractions.research.heatmap.HeatmapRequest;
import io.useractions.research.heatmap.Heatmaps;
import io.useractions.research.heatmap.Overlay;

/**
 * Click and movement heatmaps of a study as PNG, per page, condition and viewport-width bucket, optionally
 * over a screenshot: uploaded as the body of a POST, or named from the configured screenshot directory.
 */
@Path("/api/v1/studies/{study}")
public class HeatmapResource {
    /** The query parameter naming a screenshot in {@code ual.console.screenshot-dir}. */
    static final String IMAGE = "image";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.(png|jpe?g)";

    @Inject
    DataSource dataSource;
    @Inject
    ConsoleConfig config;

    /** What can be drawn: per page, condition and viewport bucket, the clicks, pointer samples and participants. */
    @GET
    @Path("/heatmaps")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> buckets(@PathParam("study") String study) throws SQLException {
        List<Heatmaps.Bucket> buckets;
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            buckets = Heatmaps.buckets(c, study);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Heatmaps.Bucket b : buckets) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("url", b.url());
            row.put("condition", b.condition());
            row.put("vw", b.viewport() == null ? null : b.viewport().label());
            row.put("clicks", b.clicks());
            row.put("pointer_samples", b.pointerSamples());
            row.put("participants", b.participants());
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("study", study);
        body.put("buckets", rows);
        return body;
    }

    @GET
    @Path("/heatmap.png")
    @Produces("image/png")
    public Response heatmap(@PathParam("study") String study, @Context UriInfo uri) throws SQLException, IOException {
        Map<String, List<String>> query = new HashMap<>(uri.getQueryParameters());
        List<String> image = query.remove(IMAGE);
        HeatmapRequest request = HeatmapRequest.parse(study, query);
        BufferedImage overlay = image == null ? null : named(image);
        return png(study, request, overlay);
    }

    /** The heatmap over the screenshot in the body (PNG or JPEG), scaled to the reference width. */
    @POST
    @Path("/heatmap.png")
    @Consumes(MediaType.WILDCARD)
    @Produces("image/png")
    public Response heatmapOver(@PathParam("study") String study, @Context UriInfo uri, byte[] body)
            throws SQLException {
        HeatmapRequest request = HeatmapRequest.parse(study, uri.getQueryParameters());
        BufferedImage overlay = Overlay.read(body, config.screenshotMaxBytes(), config.screenshotMaxPixels());
        return png(study, request, overlay);
    }

    private Response png(String study, HeatmapRequest request, BufferedImage overlay) throws SQLException {
        HeatGrid grid;
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            grid = Heatmaps.read(c, request);
        }
        return Response.ok(HeatmapPng.png(grid, overlay), "image/png")
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + ExportResource.fileSafe(study)
                        + "-" + request.kind().name().toLowerCase(java.util.Locale.ROOT) + "-heatmap.png\"")
                .header("X-UAL-Participants", grid.participants())
                .header("X-UAL-Samples", grid.samples())
                .build();
    }

    private BufferedImage named(List<String> values) throws IOException {
        if (values.size() != 1) {
            throw new ExportRequestException("image: given " + values.size() + " times");
        }
        String name = values.get(0);
        if (!name.matches(NAME)) {
            throw new ExportRequestException("image: '" + name + "' is not a file name ending in .png, .jpg or .jpeg");
        }
        java.nio.file.Path dir = config.screenshotDir().orElseThrow(() -> new ExportRequestException(
                "image: no screenshot directory is configured (ual.console.screenshot-dir); upload the image instead"));
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            return Overlay.read(bytes, config.screenshotMaxBytes(), config.screenshotMaxPixels());
        } catch (NoSuchFileException e) {
            throw new UnknownScreenshotException(name);
        }
    }

    /** A named screenshot that is not in the directory: a 404. */
    static final class UnknownScreenshotException extends ExportRequestException {
        UnknownScreenshotException(String name) {
            super("image: no screenshot named '" + name + "'");
        }
    }
}
