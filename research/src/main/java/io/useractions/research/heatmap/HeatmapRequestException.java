package io.useractions.research.heatmap;

import io.useractions.research.export.ExportRequestException;

/**
 * A heatmap parameter with a bad value; the message starts with the parameter's name. An
 * {@link ExportRequestException}, so the console's error mapper answers it with a 400 and a JSON body.
 */
public class HeatmapRequestException extends ExportRequestException {
    private final String parameter;

    public HeatmapRequestException(String parameter, String problem) {
        super(parameter + ": " + problem);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
