package io.useractions.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Open-loop load: requests leave on a fixed schedule whether or not earlier ones were answered, and each
 * latency is measured from the moment the schedule said the request should leave. Waiting for a free
 * connection or a slow server therefore counts as latency (no coordinated omission).
 */
final class OpenLoop implements AutoCloseable {
    /** Give up on a step when this many requests are outstanding: the server is far behind the rate. */
    private static final int MAX_OUTSTANDING = 20_000;
    private static final double KEEPS_UP = 0.97;
    /**
     * Seconds a pooled connection may stay unused, below the ingest's {@code quarkus.http.idle-timeout} (30 s):
     * the client drops an idle connection before the server does, where otherwise a step that needs more
     * connections than the one before picks one the server is closing and the batch on it fails ("Connection
     * was closed": 10 of 15,000 requests in one full run's 75,000 actions/s step).
     */
    static final int KEEP_ALIVE_SECONDS = 20;

    private final Vertx vertx;
    private final HttpClient client;
    private final URI endpoint;
    private final Workload workload;
    private final AtomicLong sequence = new AtomicLong();

    OpenLoop(URI endpoint, Workload workload, int connections) {
        this.endpoint = endpoint;
        this.workload = workload;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(false));
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setTcpNoDelay(true)
                .setIdleTimeout(60)
                .setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /** Figures of one step. */
    record Result(double offeredPerSecond, long requests, long acceptedActions, long duplicates, long refused,
                  long failed, String firstProblem, double seconds, Histogram latencyMicros, boolean gaveUp) {

        double acceptedPerSecond() {
            return seconds <= 0 ? 0 : acceptedActions / seconds;
        }

        double percentileMillis(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN
                    : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        /** Nothing refused, failed or given up, at least 97% of the offered rate accepted, p99 under 1 s. */
        boolean keptUp() {
            return shortfall().isEmpty();
        }

        /** Why the step did not keep up, such as "3 refused, gave up"; empty when it did. */
        String shortfall() {
            List<String> why = new ArrayList<>();
            if (refused > 0) {
                why.add(refused + " refused");
            }
            if (failed > 0) {
                why.add(failed + " failed");
            }
            if (gaveUp) {
                why.add("gave up");
            }
            if (acceptedPerSecond() < KEEPS_UP * offeredPerSecond) {
                why.add(String.format(Locale.ROOT, "%.0f%% of the offered rate accepted",
                        100 * acceptedPerSecond() / offeredPerSecond));
            }
            if (!(percentileMillis(99) < 1000)) {
                why.add("ingest p99 over 1 s");
            }
            return String.join(", ", why);
        }
    }

    /** Listens for each accepted batch: the id of its last action and when the 202 arrived. */
    interface AckListener {
        void accepted(String lastActionId, long ackNanos);
    }

    /** Sends at {@code actionsPerSecond} for {@code duration}, then waits for every answer. */
    Result run(double actionsPerSecond, Duration duration, AckListener listener) throws InterruptedException {
        long intervalNanos = (long) (1e9 * workload.actionsPerBatch() / actionsPerSecond);
        long total = Math.max(1, duration.toNanos() / intervalNanos);
        Recorder recorder = new Recorder(3);
        AtomicLong accepted = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstProblem = new AtomicReference<>();
        AtomicLong lastAnswer = new AtomicLong();
        AtomicLong outstanding = new AtomicLong();
        CountDownLatch answered = new CountDownLatch((int) total);
        String path = endpoint.getRawPath() + "?key=" + Workload.KEY;
        int port = endpoint.getPort();
        String host = endpoint.getHost();

        long start = System.nanoTime();
        long sent = 0;
        boolean gaveUp = false;
        for (; sent < total; sent++) {
            long intended = start + sent * intervalNanos;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (outstanding.get() > MAX_OUTSTANDING) {
                gaveUp = true;
                break;
            }
            char[] lastId = new char[36];
            Buffer body = Buffer.buffer(workload.next(sequence.getAndIncrement(), lastId));
            outstanding.incrementAndGet();
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                    .setURI(path).putHeader("content-type", "application/json").setTimeout(30_000);
            client.request(options)
                    .compose(request -> request.send(body))
                    .compose(response -> response.body().map(answer -> {
                        long now = System.nanoTime();
                        recorder.recordValue(Math.max(0, (now - intended) / 1000));
                        if (response.statusCode() == 202) {
                            String text = answer.toString();
                            accepted.addAndGet(field(text, "\"accepted\":"));
                            duplicates.addAndGet(field(text, "\"duplicates_dropped\":"));
                            if (listener != null) {
                                listener.accepted(new String(lastId), now);
                            }
                        } else {
                            refused.incrementAndGet();
                            firstProblem.compareAndSet(null, "HTTP " + response.statusCode() + " " + excerpt(answer.toString()));
                        }
                        lastAnswer.accumulateAndGet(now, Math::max);
                        return null;
                    }))
                    .onComplete(done -> {
                        if (done.failed()) {
                            failed.incrementAndGet();
                            firstProblem.compareAndSet(null, excerpt(done.cause().toString()));
                            recorder.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
                        }
                        outstanding.decrementAndGet();
                        answered.countDown();
                    });
        }
        for (long skipped = sent; skipped < total; skipped++) {
            answered.countDown();
        }
        if (!answered.await(60, TimeUnit.SECONDS)) {
            gaveUp = true;
        }
        long end = Math.max(lastAnswer.get(), start + 1);
        double seconds = (end - start) / 1e9;
        return new Result(actionsPerSecond, sent, accepted.get(), duplicates.get(), refused.get(), failed.get(),
                firstProblem.get(), seconds, recorder.getIntervalHistogram(), gaveUp);
    }

    /** The start of an answer or an exception, enough to name the problem, on one line of the table. */
    private static String excerpt(String text) {
        String line = text.replace('|', '/').replace('\n', ' ');
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }

    private static long field(String json, String name) {
        int at = json.indexOf(name);
        if (at < 0) {
            return 0;
        }
        int p = at + name.length();
        long value = 0;
        while (p < json.length() && Character.isDigit(json.charAt(p))) {
            value = value * 10 + (json.charAt(p++) - '0');
        }
        return value;
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
