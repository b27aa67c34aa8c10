package io.useractions.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one Jackson configuration for the wire format and the Kafka records. */
public final class Json {
    /** Deeper than any valid batch (batch → actions → action → data at the allowed depth). */
    public static final int MAX_NESTING = 32;

    public static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength(1 << 20)
                        .maxNumberLength(64)
                        .build())
                // Coordinates and t_mono are read as doubles: FastDoubleParser (bundled with Jackson,
                // correctly rounded like Double.parseDouble) instead of the JDK's text path.
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        // A repeated name is malformed. Checked where trees are built: the parser's own check keeps a set
        // per object, a tenth of what the processor allocated.
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        return mapper;
    }
}
