package io.useractions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** A new study and the demo study of application.properties, whose key is quoted there for this. */
    @ParameterizedTest
    @ValueSource(strings = { "STROOP2026", "DEMO" })
    void doubleUnderscoresSetAStudyByItsLowerCaseName(String variableName) throws IOException {
        String prefix = "UAL_INGEST_ACCESS_STUDIES__" + variableName + "__";
        Map<String, IngestConfig.Study> studies = studies(Map.of(
                prefix + "WRITE_KEY", "k",
                prefix + "ORIGINS", "https://study.example.org"));
        IngestConfig.Study study = studies.get(variableName.toLowerCase(Locale.ROOT));
        assertNotNull(study, studies.keySet().toString());
        assertEquals("k", study.writeKey());
        assertEquals(Optional.of(List.of("https://study.example.org")), study.origins());
    }

    @Test
    void theDemoStudyHasItsLocalDevelopmentDefaultsWithoutVariables() throws IOException {
        Map<String, IngestConfig.Study> studies = studies(Map.of());
        assertEquals("demo-local-dev-key", studies.get("demo").writeKey(), studies.keySet().toString());
    }
}
