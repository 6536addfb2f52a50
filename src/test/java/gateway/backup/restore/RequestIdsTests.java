package gateway.backup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestIdsTests {

    @Test
    void shouldKeepConsecutiveIdsAsOneRunAndTheFirstMappingOfAnId() {
        RequestIds ids = new RequestIds(2);
        for (long old = 10; old < 1010; old++) {
            assertTrue(ids.put(old, old + 500, true));
        }
        assertTrue(ids.put(2000, 7, false)); // the second run
        assertTrue(ids.put(500, 1, true)); // mapped already: stays as it was
        assertEquals(1000L, ids.get(500L));
        assertEquals(1509L, ids.get(1009L));
        assertEquals(7L, ids.get(2000L));
        assertNull(ids.get(1010L));
        assertNull(ids.get(9L));
        assertNull(ids.get(null));
        assertFalse(ids.inTable());
        // A third run does not fit: that mapping goes to the table, and so do all after it.
        assertFalse(ids.put(3000, 9, true));
        assertTrue(ids.inTable());
        assertFalse(ids.put(1010, 1510, true));
        assertNull(ids.get(1010L));
        assertEquals(1000L, ids.get(500L));
    }

    @Test
    void shouldTellWhichRequestsMayAlreadyHaveALog() {
        RequestIds ids = new RequestIds(10);
        ids.put(1, 101, true);
        ids.put(2, 102, true);
        ids.put(3, 50, false);
        assertTrue(ids.mayHaveLog(3L, 50), "found here: it may have had a log before");
        assertFalse(ids.mayHaveLog(1L, 101));
        ids.logged(101);
        assertTrue(ids.mayHaveLog(1L, 101), "given one by this restore");
        assertFalse(ids.mayHaveLog(2L, 102));
    }
}
