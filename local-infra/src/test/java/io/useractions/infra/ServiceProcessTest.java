package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.testing.TestDirs;

class ServiceProcessTest {

    private static Path dir;
    private static Path jar;

    @BeforeAll
    static void packageFakeApp() throws IOException {
        dir = Files.createDirectories(TestDirs.fresh("service"));
        jar = dir.resolve("fake-app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeQuarkusApp.class.getName());
        Path classes = Path.of(FakeQuarkusApp.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            Path packageDir = classes.resolve("io/useractions/infra");
            try (var classFiles = Files.list(packageDir)) {
                for (Path classFile : (Iterable<Path>) classFiles
                        .filter(p -> p.getFileName().toString().startsWith("FakeQuarkusApp"))::iterator) {
                    out.putNextEntry(new JarEntry("io/useractions/infra/" + classFile.getFileName()));
                    out.write(Files.readAllBytes(classFile));
                    out.closeEntry();
                }
            }
        }
    }

    @Test
    void startsTheJarWithItsEnvironmentAndWaitsUntilReady() throws Exception {
        ServiceProcess service = service("ready").env("FAKE_GREETING", "hello from the parent").build();
        try {
            service.start().waitReady(Duration.ofSeconds(30));
            assertTrue(service.isRunning());
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.url() + "/env")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("hello from the parent", response.body());
            assertTrue(service.logTail(5).contains("listening on 127.0.0.1:" + service.spec().port()));
        } finally {
            service.stop();
        }
    }

    @Test
    void stopLetsTheAppShutDownGracefully() {
        ServiceProcess service = service("graceful").build();
        service.start().waitReady(Duration.ofSeconds(30));

        service.stop();

        assertFalse(service.isRunning());
        assertTrue(service.logTail(3).contains("stopped gracefully"), service.logTail(10));
    }

    @Test
    void killEndsTheAppWithoutItsShutdownHooksAndItCanStartAgain() {
        ServiceProcess service = service("killed").build();
        try {
            service.start().waitReady(Duration.ofSeconds(30));
            service.kill();
            assertFalse(service.isRunning());
            assertFalse(service.logTail(3).contains("stopped gracefully"));

            service.start().waitReady(Duration.ofSeconds(30));
            assertTrue(service.isRunning());
        } finally {
            service.stop();
        }
    }

    @Test
    void waitReadyFailsWithTheLogTailWhenTheAppExits() {
        ServiceProcess service = service("failing").env("FAKE_FAIL", "no database").build();
        service.start();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> service.waitReady(Duration.ofSeconds(30)));

        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("boom: no database"), e.getMessage());
    }

    @Test
    void stopEndsACommandThatIsStillRunning() throws Exception {
        ServiceProcess command = service("command").build();
        CompletableFuture<String> run = CompletableFuture.supplyAsync(
                () -> command.runCommand(List.of("sleep"), Duration.ofSeconds(120)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> command.logTail(3).contains("sleeping"));
        assertTrue(command.isRunning());

        command.stop();

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("exited with code"), e.getCause().getMessage());
        assertFalse(command.isRunning());
        assertTrue(command.logTail(3).contains("command stopped"), command.logTail(10));
    }

    private static ServiceProcess.Builder service(String name) {
        ServiceSpec spec = new ServiceSpec(name, jar, Ports.freePort(), ServiceSpec.QUARKUS_READY);
        return ServiceProcess.builder(spec).logFile(dir.resolve(name + ".log"));
    }
}
