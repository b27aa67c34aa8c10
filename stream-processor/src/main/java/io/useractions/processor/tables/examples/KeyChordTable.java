package io.useractions.processor.tables.examples;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.enterprise.context.ApplicationScoped;

import io.useractions.processor.projection.ActionRow;
import io.useractions.processor.tables.DerivedTable;
import io.useractions.processor.tables.SqlType;
import io.useractions.processor.tables.TableDefinition;

/**
 * A derived table written in Java, for values a declaration cannot compute: each key pressed as one
 * chord such as {@code ctrl+shift+letter}, its modifiers in a fixed order followed by the key (or its
 * category when the logger records categories only, its default), and whether it is a shortcut (with
 * ctrl, alt or meta) rather than typing. One row per {@code keydown}.
 */
@ApplicationScoped
public class KeyChordTable implements TableDefinition {
    private static final List<String> MODIFIERS = List.of("ctrl", "alt", "shift", "meta");

    @Override
    public DerivedTable table() {
        return DerivedTable.named("key_chord")
                .actions(java.util.Set.of("keydown"))
                .column("chord", SqlType.TEXT, "data.modifiers + (data.key or data.category)", KeyChordTable::chord)
                .column("shortcut", SqlType.BOOLEAN, "ctrl, alt or meta held", KeyChordTable::shortcut)
                .column("repeat", SqlType.BOOLEAN, "data.repeat", row -> field(row, "repeat") != null)
                .version("1")
                .build();
    }

    private static String chord(ActionRow row) {
        List<String> parts = new ArrayList<>();
        for (String modifier : MODIFIERS) {
            if (held(row, modifier)) {
                parts.add(modifier);
            }
        }
        JsonNode key = field(row, "key");
        JsonNode category = field(row, "category");
        parts.add(key != null && key.isTextual() ? key.textValue().toLowerCase(java.util.Locale.ROOT)
                : category != null && category.isTextual() ? category.textValue() : "?");
        return String.join("+", parts);
    }

    private static boolean shortcut(ActionRow row) {
        return held(row, "ctrl") || held(row, "alt") || held(row, "meta");
    }

    private static boolean held(ActionRow row, String modifier) {
        JsonNode modifiers = field(row, "modifiers");
        if (modifiers != null && modifiers.isArray()) {
            for (JsonNode held : modifiers) {
                if (modifier.equals(held.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode field(ActionRow row, String name) {
        return row.action().data() == null ? null : row.action().data().get(name);
    }
}
