package io.useractions.study;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import org.jboss.resteasy.reactive.Cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The study's settings as a script, so the static pages need no build step to know the ingest URL. */
@Path("/config.js")
public class ConfigScript {
    private final String script;

    public ConfigScript(StudyConfig config, ObjectMapper mapper) throws JsonProcessingException {
        String endpoint = config.ingestUrl() + (config.ingestUrl().contains("?") ? "&" : "?") + "key="
                + URLEncoder.encode(config.writeKey(), StandardCharsets.UTF_8);
        String json = mapper.writeValueAsString(new Settings(endpoint, config.name(), config.conditions(),
                config.trials()));
        this.script = "window.UAL_STUDY = " + json + ";\n";
    }

    record Settings(String endpoint, String study, java.util.List<String> conditions, int trials) {
    }

    @GET
    @Produces("application/javascript")
    @Cache(noStore = true)
    public String script() {
        return script;
    }
}
