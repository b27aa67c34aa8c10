package io.useractions.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Stands in for a packaged Quarkus app in ServiceProcessTest: same env contract, same health path. */
public final class FakeQuarkusApp {

    private FakeQuarkusApp() {
    }

    public static void main(String[] args) throws IOException {
        if (System.getenv("FAKE_FAIL") != null) {
            System.out.println("boom: " + System.getenv("FAKE_FAIL"));
            System.exit(3);
        }
        if (args.length > 0 && args[0].equals("sleep")) {
            // A command that runs long, as the replay does.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("command stopped")));
            System.out.println("sleeping");
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        String host = System.getenv("QUARKUS_HTTP_HOST");
        int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", exchange -> reply(exchange, "fake page"));
        server.createContext("/q/health/ready", exchange -> reply(exchange, "UP"));
        server.createContext("/env", exchange -> reply(exchange, String.valueOf(System.getenv("FAKE_GREETING"))));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            System.out.println("stopped gracefully");
        }));
        server.start();
        System.out.println("listening on " + host + ":" + port);
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
