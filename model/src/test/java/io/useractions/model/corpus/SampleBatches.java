package io.useractions.model.corpus;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Valid v1 batches of the demo study, for tests and the bad-input corpus. */
public final class SampleBatches {
    /** The demo study's local-development write key. */
    public static final String KEY = "demo-local-dev-key";

    private SampleBatches() {
    }

    public static String action(UUID id, int seq) {
        return """
                {"id":"%s","seq":%d,"type":"pointermove","t":%d,"t_mono":%d.5,"url":"http://127.0.0.1:8090/",
                 "x":%d,"y":%d,"page_x":%d,"page_y":%d,"screen_x":%d,"screen_y":%d,"vw":1280,"vh":800}"""
                .formatted(id, seq, 1764412800000L + seq, seq, seq, seq + 1, seq, seq + 100, seq + 50, seq + 151);
    }

    public static String batch(String session, List<UUID> ids) {
        String actions = IntStream.range(0, ids.size()).mapToObj(i -> action(ids.get(i), i + 1))
                .collect(Collectors.joining(","));
        return """
                {"study":"demo","participant":"p-001","session":"%s","condition":"A","sent_at":1764412800999,
                 "context":{"user_agent":"test","screen_w":1920,"screen_h":1080,"dpr":1},"actions":[%s]}"""
                .formatted(session, actions);
    }

    public static List<UUID> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList();
    }
}
