package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedisStatsTest {
    @Test
    void aStepIsNotedWhenASetPassesAPowerOfTwoFromTwoMillionUp() {
        assertEquals(1L << 22, RedisStats.tableReached(4_000_000, 4_400_000));
        assertEquals(1L << 22, RedisStats.tableReached(4_194_304, 4_194_305));
        assertEquals(1L << 23, RedisStats.tableReached(4_400_000, 8_500_000));
    }

    @Test
    void noNoteWithinATableOrBelowTwoMillionOrWithoutFigures() {
        assertEquals(0, RedisStats.tableReached(4_194_305, 5_000_000));
        assertEquals(0, RedisStats.tableReached(4_000_000, 4_194_304));
        assertEquals(0, RedisStats.tableReached(900_000, 1_100_000));
        assertEquals(0, RedisStats.tableReached(-1, 5_000_000));
        assertEquals(0, RedisStats.tableReached(5_000_000, -1));
    }
}
