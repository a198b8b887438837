package dev.agentfactory.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
    @Test
    void ids_are_version_7_unique_and_ordered_by_their_millisecond() throws Exception {
        Set<UUID> seen = new HashSet<>();
        UUID first = TimeOrderedIds.next();
        for (int i = 0; i < 10_000; i++) {
            UUID id = TimeOrderedIds.next();
            assertEquals(7, id.version());
            assertEquals(2, id.variant());
            assertTrue(seen.add(id));
        }
        Thread.sleep(2);
        UUID later = TimeOrderedIds.next();
        assertTrue(first.getMostSignificantBits() >>> 16 < later.getMostSignificantBits() >>> 16);
        assertTrue(first.toString().compareTo(later.toString()) < 0, "they sort as text too");
        long millis = later.getMostSignificantBits() >>> 16;
        assertTrue(Math.abs(System.currentTimeMillis() - millis) < 1_000);
    }
}
