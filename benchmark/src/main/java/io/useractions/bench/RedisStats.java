package io.useractions.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The dedupe cache's Redis as the benchmark sees it: its evictions, from {@code INFO stats} (an ingest step
 * during which Redis evicted a bucket of ids measured a Redis that was full, and stalled while it freed the
 * set), and its {@code maxmemory}, sized for the run.
 */
final class RedisStats {
    private RedisStats() {
    }

    /** Sets {@code maxmemory} of the Redis at {@code url}; false when it did not answer OK. */
    static boolean setMaxMemory(String url, String value) {
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(String.format("*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$9\r\nmaxmemory\r\n$%d\r\n%s\r\n",
                    value.length(), value).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            return "+OK".equals(answer);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code evicted_keys} of the Redis at {@code url} (redis://host:port), or -1 when it cannot be read. */
    static long evictedKeys(String url) {
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String header = in.readLine();
            if (header == null || !header.startsWith("$")) {
                return -1;
            }
            // The section is a few dozen lines; the field is among them.
            String line;
            for (int i = 0; i < 200 && (line = in.readLine()) != null; i++) {
                if (line.startsWith("evicted_keys:")) {
                    return Long.parseLong(line.substring("evicted_keys:".length()).trim());
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
