package io.useractions.research.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.useractions.model.trial.TrialRow;

class TablesTest {

    @Test
    void trialsDescribesTheColumnsTrialRowWrites() {
        assertEquals(TrialRow.COLUMNS, Tables.trials().columns().stream().map(Column::name).toList());
    }
}
