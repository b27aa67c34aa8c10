package io.useractions.console.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import io.useractions.research.export.ExportOptions;
import io.useractions.research.export.ExportRequest;
import io.useractions.research.export.ExportRequestException;
import io.useractions.research.export.Exporter;
import io.useractions.research.export.Format;
import io.useractions.research.export.ProgressListener;
import io.useractions.research.export.TableName;

/**
 * A study's research data over HTTP, on the exporter that {@code ./ual export} runs: the whole package as a
 * zip, or one table as a file that R or pandas can read straight from the URL. Query parameters are the
 * command's options without dashes ({@code ?condition=A&complete-only=true&frame=page}). The request is
 * checked against the database before the first byte, so a bad one is a 4xx with a JSON body; the rows
 * then stream from one read-only snapshot, never held in memory.
 */
@Path("/api/v1/studies/{study}")
public class ExportResource {
    private final Exporter exporter;

    public ExportResource(DataSource dataSource) {
        this.exporter = new Exporter(dataSource::getConnection);
    }

    /** The package: every table asked for ({@code tables}, default all), datapackage.json and dictionary.md. */
    @GET
    @Path("export.zip")
    public Response zip(@PathParam("study") String study, @Context UriInfo uri) throws SQLException {
        ExportRequest request = request(study, uri.getQueryParameters(), null);
        exporter.validate(request);
        String name = "ual-" + fileSafe(study) + "-" + request.format().extension() + ".zip";
        return Response.ok(stream(out -> exporter.toZip(request, out, ProgressListener.NONE)), "application/zip")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .build();
    }

    /** One table, named as its file: {@code trials.csv}, {@code positions.parquet}, ... */
    @GET
    @Path("tables/{file}")
    public Response table(@PathParam("study") String study, @PathParam("file") String file, @Context UriInfo uri)
            throws SQLException {
        int dot = file.lastIndexOf('.');
        if (dot <= 0) {
            throw new ExportRequestException("table file '" + file + "' needs an extension: .csv or .parquet");
        }
        TableName table = TableName.parse(file.substring(0, dot));
        Format format = Format.parse(file.substring(dot + 1));
        ExportRequest request = request(study, uri.getQueryParameters(), format);
        exporter.validate(request);
        String media = format == Format.CSV ? format.mediaType() + "; charset=utf-8" : format.mediaType();
        return Response.ok(stream(out -> exporter.table(request, table, out, ProgressListener.NONE)), media)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileSafe(study) + "-" + file + "\"")
                .build();
    }

    private static ExportRequest request(String study, MultivaluedMap<String, String> query, Format format) {
        return request(study, query, format, format == null ? "" : "is given by the table's file name");
    }

    /**
     * The export options of a query; with a {@code format}, the query may not name one or the tables
     * ({@code why} says why not).
     */
    static ExportRequest request(String study, MultivaluedMap<String, String> query, Format format, String why) {
        for (String name : query.keySet()) {
            if (!ExportOptions.NAMES.contains(name) || name.equals("study")) {
                throw new ExportRequestException("unknown query parameter '" + name + "'");
            }
            if (format != null && (name.equals("format") || name.equals("tables"))) {
                throw new ExportRequestException("'" + name + "' " + why);
            }
        }
        return ExportOptions.request(name -> name.equals("study") ? study
                : name.equals("format") && format != null ? format.extension() : query.getFirst(name));
    }

    private interface Export {
        void writeTo(java.io.OutputStream out) throws IOException, SQLException;
    }

    /** Rows go out as they are read; a failure past the first byte can only cut the response short. */
    private static StreamingOutput stream(Export export) {
        return out -> {
            try {
                export.writeTo(out);
            } catch (SQLException e) {
                throw new IOException("export failed: " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        };
    }

    /** A study name as it may stand in a download's file name, for every download of the console. */
    static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT);
    }
}
