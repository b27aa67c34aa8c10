package io.useractions.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load of a fault run: senders that post numbered actions at a steady rate and retry each batch until
 * a 2xx, as the logger does (same batch, same ids), and now and then send an acknowledged batch again (a
 * lost answer). Everything they saw is kept for the checks: what was sent, acknowledged, answered 503.
 */
final class FaultLoad {
    static final int SENDERS = 4;
    static final int BATCH = 50;
    /**
     * Offered actions per second. Each fault costs the same at any rate (every sender has a batch in flight
     * all the time), while the audit reads and recomputes every action afterwards.
     */
    static final int RATE = Integer.getInteger("faults.rate", 500);
    /** A client that lost an answer sends one of its recent batches again. */
    static final double REPLAY_PROBABILITY = 0.05;
    static final Duration DELIVERY_LIMIT = Duration.ofSeconds(90);
    private static final Pattern DUPLICATES_DROPPED = Pattern.compile("\"duplicates_dropped\"\\s*:\\s*(\\d+)");

    record Batch(String body, List<UUID> ids) {
    }

    /**
     * Acknowledged so far by one sender: in its session {@code i}, every action numbered up to
     * {@code through[i]} was acked or given up.
     */
    record Progress(long[] through, long acked) {
    }

    /** Records the first 2xx that completes after a fault ended. */
    static final class Probe {
        final long from;
        final AtomicLong firstAck = new AtomicLong();

        Probe(long from) {
            this.from = from;
        }
    }

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final List<URI> endpoints;
    /** Actions acknowledged by each endpoint (an ingest instance), in the order of {@link #endpoints}. */
    final AtomicLongArray ackedBy;
    private final AtomicLong requests = new AtomicLong();
    final List<Sender> senders = new ArrayList<>();
    final Set<UUID> sent = ConcurrentHashMap.newKeySet();
    final Set<UUID> acked = ConcurrentHashMap.newKeySet();
    /** Actions of batches that were answered 503 at least once. */
    final Set<UUID> answered503 = ConcurrentHashMap.newKeySet();
    final AtomicLong global = new AtomicLong();
    private final AtomicLongArray counts = new AtomicLongArray(Count.values().length);
    final List<Long> unavailableAt = new ArrayList<>();
    volatile String firstUnexpected = "-";
    volatile boolean running = true;
    volatile Probe probe;

    final int sessionsPerSender;

    /**
     * {@link #SENDERS} senders, each writing to {@code sessionsPerSender} sessions in turn; each request goes
     * to the next endpoint, as a load balancer sends it.
     */
    FaultLoad(List<String> endpoints, int sessionsPerSender) {
        this.sessionsPerSender = sessionsPerSender;
        this.endpoints = endpoints.stream().map(URI::create).toList();
        this.ackedBy = new AtomicLongArray(endpoints.size());
        for (int s = 0; s < SENDERS; s++) {
            senders.add(new Sender(this, s));
        }
    }

    void start() {
        senders.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
        running = false;
        for (Sender sender : senders) {
            sender.join(DELIVERY_LIMIT.toMillis() + 30_000);
            if (sender.isAlive()) {
                throw new AssertionError(sender.getName() + " did not finish its last batch");
            }
        }
    }

    /**
     * Sends the first sender's last acknowledged batch again from this thread, as a client that lost the
     * answer would: counted as a replay. True once a 2xx came back.
     */
    boolean sendAgain() {
        Sender sender = senders.get(0);
        Batch batch = sender.lastAcked;
        if (batch == null) {
            throw new IllegalStateException("no batch acknowledged yet");
        }
        return sender.sendAgain(batch);
    }

    /** After a failure: the senders give up their current batch at once. */
    void abort() {
        running = false;
        senders.forEach(Thread::interrupt);
    }

    Probe probe(long from) {
        Probe next = new Probe(from);
        probe = next;
        return next;
    }

    Progress[] progress() {
        return senders.stream().map(s -> s.progress).toArray(Progress[]::new);
    }

    /** What the load counts as it goes, for the report and the client-side checks. */
    enum Count {
        BATCHES, REPLAYS, ACKED_POINTERS, GIVEN_UP, DUPLICATES_DROPPED,
        UNAVAILABLE, TOO_MANY, CONNECTION_ERRORS, TIMEOUTS, UNEXPECTED, RETRIES
    }

    void count(Count count) {
        add(count, 1);
    }

    void add(Count count, long n) {
        counts.addAndGet(count.ordinal(), n);
    }

    long get(Count count) {
        return counts.get(count.ordinal());
    }

    synchronized void recordUnavailable() {
        count(Count.UNAVAILABLE);
        unavailableAt.add(System.nanoTime());
    }

    synchronized long unavailableSince(long start) {
        return unavailableAt.stream().filter(t -> t >= start).count();
    }

    /** The endpoint of the next request. */
    int nextEndpoint() {
        return (int) (requests.getAndIncrement() % endpoints.size());
    }

    void recordAck(long at) {
        Probe current = probe;
        if (current != null && at >= current.from) {
            current.firstAck.compareAndSet(0, at);
        }
    }

    static int pointersPerBatch() {
        int pointers = 0;
        for (int i = 0; i < BATCH; i++) {
            pointers += Sender.hasPointer(i) ? 1 : 0;
        }
        return pointers;
    }

    /** Posts numbered batches at a steady rate, one in flight, retrying each until a 2xx as the logger does. */
    static final class Sender extends Thread {
        private static final long BASE_BACKOFF_MS = 100;
        private static final long MAX_BACKOFF_MS = 2000;

        final FaultLoad load;
        final int index;
        final List<String> sessions = new ArrayList<>();
        final List<Batch> recent = new ArrayList<>();
        /** The last batch acknowledged, for another thread to send again. */
        volatile Batch lastAcked;
        volatile Progress progress;
        /** The last seq of each session, numbered from 1 in each as the logger does. */
        final long[] seqs;

        Sender(FaultLoad load, int index) {
            super("fault-suite-sender-" + index);
            this.load = load;
            this.index = index;
            for (int i = 0; i < load.sessionsPerSender; i++) {
                sessions.add(UUID.randomUUID().toString());
            }
            seqs = new long[load.sessionsPerSender];
            progress = new Progress(seqs.clone(), 0);
        }

        static boolean hasPointer(int i) {
            return i % 10 < 8;
        }

        @Override
        public void run() {
            long interval = TimeUnit.SECONDS.toNanos(1) * SENDERS * BATCH / RATE;
            long next = System.nanoTime();
            int batchNo = 0;
            while (load.running) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                } else if (-wait > interval) {
                    next = System.nanoTime();
                }
                Batch batch = batch(batchNo % sessions.size(), batchNo / sessions.size());
                batchNo++;
                load.sent.addAll(batch.ids);
                load.count(Count.BATCHES);
                if (deliver(batch)) {
                    load.acked.addAll(batch.ids);
                    load.add(Count.ACKED_POINTERS, pointersPerBatch());
                    progress = new Progress(seqs.clone(), progress.acked + batch.ids.size());
                    recent.add(batch);
                    lastAcked = batch;
                    if (recent.size() > 50) {
                        recent.remove(0);
                    }
                } else {
                    load.count(Count.GIVEN_UP);
                    progress = new Progress(seqs.clone(), progress.acked);
                }
                if (ThreadLocalRandom.current().nextDouble() < REPLAY_PROBABILITY && !recent.isEmpty()) {
                    if (!sendAgain(recent.get(ThreadLocalRandom.current().nextInt(recent.size())))) {
                        load.count(Count.GIVEN_UP);
                    }
                }
            }
        }

        /** An acknowledged batch again, as a client that lost the answer sends it: counted as a replay. */
        boolean sendAgain(Batch batch) {
            load.count(Count.REPLAYS);
            return deliver(batch);
        }

        /**
         * One batch of mixed pointer and key actions of session {@code s}; each numbered in its session (seq)
         * and globally (data.n).
         * The session's batches 0, 3, 6, ... start with a trial:start and 1, 4, 7, ... end with its
         * trial:end, so trials span batches (and a batch given up or lost leaves one incomplete).
         */
        private Batch batch(int s, int ofSession) {
            String session = sessions.get(s);
            List<UUID> ids = new ArrayList<>(BATCH);
            long now = System.currentTimeMillis();
            StringBuilder actions = new StringBuilder();
            for (int i = 0; i < BATCH; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                long n = load.global.incrementAndGet();
                long seq = ++seqs[s];
                String type;
                String pointer = "";
                if (hasPointer(i)) {
                    type = i % 10 == 7 ? "click" : "pointermove";
                    int x = (int) (n % 1280);
                    int y = (int) (n / 7 % 800);
                    pointer = ",\"x\":%d.5,\"y\":%d,\"page_x\":%d.5,\"page_y\":%d,\"screen_x\":%d,\"screen_y\":%d,\"vw\":1280,\"vh\":800"
                            .formatted(x, y, x, y + 300, x + 40, y + 90);
                } else {
                    type = i % 2 == 0 ? "keydown" : "keyup";
                }
                String trial = "";
                if ((i == 0 && ofSession % 3 == 0) || (i == BATCH - 1 && ofSession % 3 == 1)) {
                    type = i == 0 ? "trial:start" : "trial:end";
                    trial = ",\"trial\":" + (ofSession / 3 + 1);
                }
                actions.append(i == 0 ? "" : ",").append("""
                        {"id":"%s","seq":%d,"type":"%s","t":%d,"t_mono":%d.25%s,"data":{"n":%d,"sender":%d%s}}"""
                        .formatted(id, seq, type, now - (BATCH - i) * 8L, seq * 8, pointer, n, index, trial));
            }
            return new Batch("""
                    {"study":"%s","participant":"fault-%d","session":"%s","condition":"%s","sent_at":%d,
                     "context":{"user_agent":"fault-suite","screen_w":1920,"screen_h":1080,"dpr":1},"actions":[%s]}"""
                    .formatted(TestPipeline.STUDY, index, session, index % 2 == 0 ? "A" : "B", now, actions), ids);
        }

        /** True once a 2xx came back; retries on 408, 429, 5xx, connection errors and timeouts with backoff. */
        private boolean deliver(Batch batch) {
            long deadline = System.nanoTime() + DELIVERY_LIMIT.toNanos();
            for (int attempt = 0; ; attempt++) {
                long waitMs = backoff(attempt);
                // A retry may reach another instance, as it would behind a load balancer.
                int endpoint = load.nextEndpoint();
                HttpRequest request = HttpRequest.newBuilder(load.endpoints.get(endpoint))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(batch.body)).build();
                try {
                    HttpResponse<String> response = load.http.send(request, HttpResponse.BodyHandlers.ofString());
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        load.recordAck(System.nanoTime());
                        load.ackedBy.addAndGet(endpoint, batch.ids.size());
                        Matcher dropped = DUPLICATES_DROPPED.matcher(response.body());
                        if (dropped.find()) {
                            load.add(Count.DUPLICATES_DROPPED, Long.parseLong(dropped.group(1)));
                        }
                        return true;
                    }
                    if (status == 503) {
                        load.recordUnavailable();
                        load.answered503.addAll(batch.ids);
                    } else if (status == 429) {
                        load.count(Count.TOO_MANY);
                    } else {
                        load.count(Count.UNEXPECTED);
                        if ("-".equals(load.firstUnexpected)) {
                            load.firstUnexpected = status + " " + response.body();
                        }
                        if (status != 408 && status < 500) {
                            return false;
                        }
                    }
                    waitMs = response.headers().firstValueAsLong("Retry-After").stream()
                            .map(seconds -> seconds * 1000 + ThreadLocalRandom.current().nextLong(100))
                            .findFirst().orElse(waitMs);
                } catch (HttpTimeoutException e) {
                    load.count(Count.TIMEOUTS);
                } catch (IOException e) {
                    load.count(Count.CONNECTION_ERRORS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs) > deadline) {
                    return false;
                }
                load.count(Count.RETRIES);
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(waitMs));
            }
        }

        /** Uniform between the base and min(max, base * 2^attempt), as the logger waits. */
        private static long backoff(int attempt) {
            long ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempt, 10));
            return BASE_BACKOFF_MS + ThreadLocalRandom.current().nextLong(ceiling - BASE_BACKOFF_MS + 1);
        }

        private static void sleepNanos(long nanos) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
