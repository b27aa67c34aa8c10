package io.useractions.processor.projection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.useractions.model.Action;
import io.useractions.model.RawRecord;

/**
 * The rows of a batch of raw records for each of its tables, in PostgreSQL's binary COPY format (the rows
 * spanning actions in COPY text, as they come), written straight from the records by the tables'
 * declarations ({@link ProjectedTable}). A row PostgreSQL refuses is isolated by copying the actions one at
 * a time, through this same mapping.
 */
public final class CopyRows {
    private final List<ProjectedTable> tables;
    private final CopyBuffer[] rows;
    /**
     * A buffer up to this size is kept across {@link #clear()}, and a larger one while polls that large keep
     * coming ({@link CopyBuffer#clear}): a poll of the default 200 batches of the benchmark (10,000 actions) has
     * 5.9 MB of ui_action rows and 2.2 MB of mouse_position. At 1 MB a backlog's polls (about 3,000 actions) grew
     * a new buffer each time, a sixth of the processor's allocations, and the serial collector promoted them.
     */
    static final int KEPT_BYTES = 4 << 20;
    /** The size each table's buffer keeps across {@link #clear()}. */
    private final int[] kept;
    private final int[] counts;
    /** Rows of tables spanning actions, by key: a later row of the same key replaces an earlier one. */
    private final List<Map<String, byte[]>> spanning;
    private final ActionRow row = new ActionRow();
    /** Whether the rows are expected to be new: false after a batch that met ids already stored. */
    boolean likelyNew = true;
    private boolean replacingStored = true;
    /** The rows' sums for the data-quality summary; null when these rows are not folded into it. */
    private QualityFold quality;
    /** The actions folded, as (record, index in it), to fold again only those a write inserted. */
    private final List<RawRecord> foldedRecords = new ArrayList<>();
    private int[] foldedIndexes = new int[0];

    /**
     * Rows of {@code tables} for about {@code expectedActions} actions. The buffers grow as needed; {@link #clear()}
     * keeps a buffer up to {@link #KEPT_BYTES} or its first size, and a larger one only while large polls keep
     * coming, so that the rows of one large poll (11 MB for 1,000 batches of 50 actions) are not held for good.
     */
    public CopyRows(List<ProjectedTable> tables, int expectedActions) {
        this.tables = List.copyOf(tables);
        this.rows = new CopyBuffer[tables.size()];
        this.kept = new int[tables.size()];
        this.counts = new int[tables.size()];
        this.spanning = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            boolean spans = tables.get(i).upserted();
            int first = spans ? 1024 : Math.max(1024, expectedActions * (i == 0 ? 700 : 300));
            kept[i] = Math.max(first, KEPT_BYTES);
            rows[i] = spans ? new Utf8Rows(first) : new BinaryRows(first);
            spanning.add(spans ? new LinkedHashMap<>() : null);
        }
    }

    /**
     * Also sums the rows of ui_action and mouse_position for the data-quality summary, which {@link
     * ProjectionWriter} then writes in the rows' transaction: what the live sink does, and a replay straight
     * into the live tables (into a summary of its own, {@code FoldedSummary}).
     */
    public CopyRows foldingQuality() {
        if (!tables.contains(ProjectedTable.UI_ACTION) || !tables.contains(ProjectedTable.MOUSE_POSITION)) {
            throw new IllegalStateException("the data-quality summary is folded from ui_action and mouse_position");
        }
        quality = new QualityFold();
        return this;
    }

    /** The rows' sums for the data-quality summary, of every row added; null when not folded. */
    QualityFold quality() {
        return quality;
    }

    /**
     * The sums of only the actions whose rows a write inserted, by id: {@code actions} of ui_action and
     * {@code samples} of mouse_position, null for all of them. For a write that met rows already stored.
     * An id added twice (a redelivery in the same poll) was inserted from its first row, the first in the
     * staging table, so only that one is summed.
     */
    QualityFold qualityOfInserted(Set<UUID> actions, Set<UUID> samples) {
        Set<UUID> actionsLeft = actions == null ? null : new HashSet<>(actions);
        Set<UUID> samplesLeft = samples == null ? null : new HashSet<>(samples);
        QualityFold inserted = new QualityFold();
        ActionRow folded = new ActionRow();
        for (int k = 0; k < foldedRecords.size(); k++) {
            Action action = folded.at(foldedRecords.get(k), foldedIndexes[k], 0, 0).action();
            boolean asAction = actionsLeft == null || actionsLeft.remove(action.id());
            boolean asSample = ProjectedTable.MOUSE_POSITION.holds(action)
                    && (samplesLeft == null || samplesLeft.remove(action.id()));
            if (asAction || asSample) {
                inserted.add(folded, asAction, asSample);
            }
        }
        return inserted;
    }

    /** Empties the rows for the next batch. */
    public CopyRows clear() {
        if (quality != null) {
            quality.clear();
            foldedRecords.clear();
        }
        for (int i = 0; i < rows.length; i++) {
            rows[i].clear(kept[i]);
            counts[i] = 0;
            if (spanning.get(i) != null) {
                spanning.get(i).clear();
            }
        }
        return this;
    }

    /**
     * Adds a row of a table spanning actions, encoded in COPY text; it replaces a row of the same key
     * added before, since one statement may not change a row twice. Ignored for a table these rows are
     * not for.
     */
    public CopyRows add(ProjectedTable table, byte[] line) {
        int i = tables.indexOf(table);
        if (i >= 0) {
            Map<String, byte[]> byKey = spanning.get(i);
            byKey.put(table.rowKey(line), line);
            counts[i] = byKey.size();
        }
        return this;
    }

    /** A record the sink projects: its row of a table spanning actions, or else its actions' rows. */
    CopyRows add(ProjectedRecord record) {
        return record.table() != null ? add(record.table(), record.line())
                : add(record.raw(), record.srcPartition(), record.srcOffset());
    }

    /** Adds the rows of every action of a raw record at {@code srcPartition}, {@code srcOffset}. */
    public CopyRows add(RawRecord record, int srcPartition, long srcOffset) {
        for (int i = 0; i < record.actions().size(); i++) {
            add(record, i, srcPartition, srcOffset);
        }
        return this;
    }

    /** Adds the rows of action {@code index} of a raw record: one in each table that holds it. */
    public CopyRows add(RawRecord record, int index, int srcPartition, long srcOffset) {
        row.at(record, index, srcPartition, srcOffset);
        for (int i = 0; i < rows.length; i++) {
            ProjectedTable table = tables.get(i);
            if (table.holds(row.action())) {
                table.write(row, (BinaryRows) rows[i]);
                counts[i]++;
            }
        }
        if (quality != null) {
            quality.add(row, true, ProjectedTable.MOUSE_POSITION.holds(row.action()));
            int k = foldedRecords.size();
            if (k == foldedIndexes.length) {
                foldedIndexes = Arrays.copyOf(foldedIndexes, Math.max(256, k * 2));
            }
            foldedRecords.add(record);
            foldedIndexes[k] = index;
        }
        return this;
    }

    /**
     * Whether a row spanning actions replaces a stored row of the same key (the live path: it is newer),
     * or leaves it (a replay writing straight into the live tables, where a stored row is the live path's
     * from past the snapshot).
     */
    public CopyRows replacingStored(boolean replacing) {
        replacingStored = replacing;
        return this;
    }

    boolean replacesStored() {
        return replacingStored;
    }

    public List<ProjectedTable> tables() {
        return tables;
    }

    /** Whether the next write of these rows goes straight into the tables (see {@link ProjectionWriter#write}). */
    public boolean likelyNew() {
        return likelyNew;
    }

    /** Records whether the last write of rows met only new keys. */
    public void likelyNew(boolean value) {
        likelyNew = value;
    }

    /** The number of rows for {@code table}, the i-th of {@link #tables()}. */
    public int count(int table) {
        return counts[table];
    }

    /** The number of rows for {@code table}; 0 for a table these rows are not for. */
    public int count(ProjectedTable table) {
        int i = tables.indexOf(table);
        return i < 0 ? 0 : counts[i];
    }

    /** The rows of the i-th table, in its format ({@link ProjectedTable#binary()}). */
    CopyBuffer rows(int table) {
        Map<String, byte[]> byKey = spanning.get(table);
        if (byKey != null) {
            rows[table].length = 0;
            byKey.values().forEach(rows[table]::append);
        }
        return rows[table];
    }
}
