package io.useractions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.useractions.ingest.config.IngestConfig;

/**
 * The environment variables of a study are {@code UAL_INGEST_ACCESS_STUDIES__<STUDY>__WRITE_KEY} and
 * {@code ..._ORIGINS}, for a new study and for the demo study of application.properties alike (its key is
 * quoted there for that): the service's application.properties under an environment, read through the
 * config mapping as Quarkus reads them.
 */
class StudyEnvironmentVariablesTest {

    private static Map<String, IngestConfig.Study> studies(Map<String, String> environment) throws IOException {
        // The default interceptors expand ${VARIABLE:default} as Quarkus does (the crypto settings use it).
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(
                        StudyEnvironmentVariablesTest.class.getClassLoader().getResource("application.properties"), 250))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(IngestConfig.class)
                .build();
        return config.getConfigMapping(IngestConfig.class).access().studies();
    }

    @Test
    void doubleUnderscoresRegisterAStudyByItsLowerCaseName() throws IOException {
        Map<String, IngestConfig.Study> studies = studies(Map.of(
                "UAL_INGEST_ACCESS_STUDIES__STROOP2026__WRITE_KEY", "k",
                "UAL_INGEST_ACCESS_STUDIES__STROOP2026__ORIGINS", "https://study.example.org"));
        assertEquals("k", studies.get("stroop2026").writeKey(), studies.keySet().toString());
        assertEquals(Optional.of(List.of("https://study.example.org")), studies.get("stroop2026").origins());
    }

    @Test
    void doubleUnderscoresChangeTheDemoStudy() throws IOException {
        Map<String, IngestConfig.Study> studies = studies(Map.of(
                "UAL_INGEST_ACCESS_STUDIES__DEMO__WRITE_KEY", "k",
                "UAL_INGEST_ACCESS_STUDIES__DEMO__ORIGINS", "https://study.example.org"));
        assertEquals("k", studies.get("demo").writeKey(), studies.keySet().toString());
        assertEquals(Optional.of(List.of("https://study.example.org")), studies.get("demo").origins());
    }

    @Test
    void theDemoStudyHasItsLocalDevelopmentDefaultsWithoutVariables() throws IOException {
        Map<String, IngestConfig.Study> studies = studies(Map.of());
        assertEquals("demo-local-dev-key", studies.get("demo").writeKey(), studies.keySet().toString());
    }
}
