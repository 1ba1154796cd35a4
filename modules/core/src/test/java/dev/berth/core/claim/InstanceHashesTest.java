package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A memo of instance hashes answers exactly as hashing does, full or not. */
class InstanceHashesTest {

    @Test
    void memoizingAndDirectHashesAgree() {
        var direct = InstanceHashes.direct();
        var memo = InstanceHashes.memoizing(2);
        for (int round = 0; round < 2; round++) {
            for (var id : new String[] {"i-0abc", "i-0abd", "i-1", "i-2", "i-0abc"}) {
                assertEquals(direct.of(id), memo.of(id), id);
                assertEquals(SlotRanking.hash(id), memo.of(id), id);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> InstanceHashes.memoizing(0));
    }
}
