package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.useractions.model.Limits;
import io.useractions.model.RawRecords;
import io.useractions.processor.sessions.SessionTables;
import io.useractions.processor.withdrawal.Withdrawn;

/** The sink's filter of withdrawn participants, on raw records and on rows spanning actions, without a database. */
class WithdrawnFilterTest {

    static ProjectedRecord action(String study, String participant) {
        String json = """
                {"v":2,"study":"%s","participant":"%s","session":"s","sent_at":1,"received_at":2,
                 "actions":[{"id":"%s","seq":1,"type":"click","t":1}]}""".formatted(study, participant, UUID.randomUUID());
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<String, byte[]> source = new ConsumerRecord<>("p", 0, 0, "s", value);
        return ProjectedRecord.raw(source, RawRecords.decode(value, Limits.DEFAULT), 0, 0);
    }

    static ProjectedRecord summary(String study, String participant) {
        Utf8Rows out = new Utf8Rows(64);
        out.text(study);
        out.text(participant);
        out.text("s");
        for (int i = 3; i < SessionTables.SESSION_SUMMARY.columnNames().size(); i++) {
            out.text(null);
        }
        out.endRow();
        ConsumerRecord<String, byte[]> source = new ConsumerRecord<>("p", 0, 0, "s", out.toBytes());
        return ProjectedRecord.row(source, SessionTables.SESSION_SUMMARY);
    }

    /** The core tables' rows of what {@code pass} kept, as the sink copies them. */
    static CopyRows rows(WithdrawnFilter.Pass pass) {
        CopyRows rows = new CopyRows(ProjectedTable.CORE, pass.kept().size());
        pass.kept().forEach(rows::add);
        return rows;
    }

    @Test
    void recordsAndRowsOfWithdrawnParticipantsAreDroppedAndTheOthersKeptInOrder() {
        ProjectedRecord stay = action("st", "p-stay");
        ProjectedRecord go = action("st", "p-go");
        ProjectedRecord otherStudy = action("other", "p-go");
        ProjectedRecord goRow = summary("st", "p-go");
        ProjectedRecord stayRow = summary("st", "p-stay");
        WithdrawnFilter filter = new WithdrawnFilter(null);

        WithdrawnFilter.Pass pass = filter.filter(List.of(stay, go, otherStudy, goRow, stayRow), Withdrawn.of("st", "p-go"));

        assertEquals(List.of(stay, otherStudy, stayRow), pass.kept(), "a participant code is withdrawn in its study only");
        assertEquals(2, pass.dropped());
        assertEquals(5, filter.filter(List.of(stay, go, otherStudy, goRow, stayRow), Withdrawn.NONE).kept().size());
    }

    @Test
    void aDeletedStudyDropsEveryParticipantsRecordsAndRowsAndOnlyThatStudys() {
        ProjectedRecord one = action("gone", "p-1");
        ProjectedRecord two = action("gone", "p-2");
        ProjectedRecord row = summary("gone", "p-3");
        ProjectedRecord otherStudy = action("gone2", "p-1");
        ProjectedRecord otherRow = summary("kept", "p-1");
        Withdrawn deleted = Withdrawn.of("gone", Withdrawn.WHOLE_STUDY, "kept", "p-9");

        WithdrawnFilter.Pass pass = new WithdrawnFilter(null).filter(List.of(one, two, row, otherStudy, otherRow), deleted);

        assertEquals(List.of(otherStudy, otherRow), pass.kept());
        assertEquals(3, pass.dropped());
        assertEquals(true, deleted.containsStudy("gone"));
        assertEquals(false, deleted.containsStudy("kept"), "a withdrawn participant does not delete their study");
    }

    @Test
    void aRowsStudyAndParticipantAreReadFromItsCopyTextUnescaped() {
        String tricky = "p\\t1\tx\nz";
        ProjectedRecord row = summary("st\\", tricky);
        assertEquals("st\\", row.study());
        assertEquals(tricky, row.participant());
        WithdrawnFilter.Pass pass = new WithdrawnFilter(null).filter(List.of(row), Withdrawn.of("st\\", tricky));
        assertEquals(0, pass.kept().size());
        assertNull(SessionTables.SESSION_SUMMARY.text("a\tb\n".getBytes(StandardCharsets.UTF_8), "no_such_column"));
        assertNull(SessionTables.TRIAL.text("id\t\\N\tp\n".getBytes(StandardCharsets.UTF_8), "study"));
    }
}
