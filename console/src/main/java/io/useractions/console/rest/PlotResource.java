package io.useractions.console.rest;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.useractions.research.export.ExportRequest;
import io.useractions.research.export.Exporter;
import io.useractions.research.export.Format;
import io.useractions.research.plot.TrajectoryPlot;
import io.useractions.research.trajectory.Measure;
import io.useractions.research.trajectory.Measures;
import io.useractions.research.trajectory.TimeNormalize;

/**
 * A study's completed trials as mousetrap plots them: per condition every time-normalised trajectory
 * and their mean, with the distribution of MAD and AUC; SVG, with the export's filters and options.
 */
@Path("/api/v1/studies/{study}/trajectories.svg")
public class PlotResource {
    private final Exporter exporter;

    public PlotResource(DataSource dataSource) {
        this.exporter = new Exporter(dataSource::getConnection);
    }

    @GET
    public Response trajectories(@PathParam("study") String study, @Context UriInfo uri) throws SQLException {
        ExportRequest asked = ExportResource.request(study, uri.getQueryParameters(), Format.CSV,
                "does not apply to a plot");
        ExportRequest request = asked.withFilter(asked.filter().withCompleteOnly());
        List<TrajectoryPlot.Path> paths = new ArrayList<>();
        exporter.trials(request, trial -> {
            if (trial.prepared() != null) {
                Measures measures = Measures.of(trial.prepared(), request.analysis().measureOptions());
                paths.add(new TrajectoryPlot.Path(trial.trial().session().condition(), trial.trial().mtId(),
                        TimeNormalize.of(trial.prepared(), request.analysis().steps()), measures.get(Measure.MAD),
                        measures.get(Measure.AUC)));
            }
        });
        String svg = TrajectoryPlot.svg("Trajectories of study " + study + " (complete trials, time-normalised)",
                paths);
        return Response.ok(svg, "image/svg+xml; charset=utf-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + ExportResource.fileSafe(study)
                        + "-trajectories.svg\"")
                .build();
    }
}
