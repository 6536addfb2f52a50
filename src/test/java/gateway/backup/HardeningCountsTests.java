package gateway.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.backup.api.BadInputTests;
import gateway.backup.api.DiskFullTests;
import gateway.backup.deploy.FaultsIT;
import gateway.backup.restore.ConcurrencyTests;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README's Hardening counts are the tests' own: a case added or removed without updating README fails here. */
class HardeningCountsTests {

    private static long readmeCount(String row) throws Exception {
        Matcher m = Pattern.compile("\\| " + Pattern.quote(row) + " \\| (\\d+) \\|").matcher(Files.readString(Path.of("README.md")));
        assertTrue(m.find(), "README's Hardening table has a row \"" + row + "\"");
        return Long.parseLong(m.group(1));
    }

    private static long tests(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods()).filter(HardeningCountsTests::isTest).count();
    }

    private static boolean isTest(Method method) {
        return method.isAnnotationPresent(Test.class);
    }

    @Test
    void shouldMatchTheBadInputsTried() throws Exception {
        assertEquals(BadInputTests.inputsTried(), readmeCount("bad inputs tried"));
        assertTrue(BadInputTests.inputsTried() >= 30 * 2, "at least 30 cases through both doors");
    }

    @Test
    void shouldMatchTheFaultsInjected() throws Exception {
        assertEquals(FaultsIT.FAULTS, tests(FaultsIT.class), "FaultsIT.FAULTS is its number of tests");
        long restoreConnectionLost = 1; // RestoreTests#shouldRollBackEverythingWhenTheDatabaseConnectionIsLost
        assertEquals(FaultsIT.FAULTS + tests(DiskFullTests.class) + restoreConnectionLost, readmeCount("faults injected"));
    }

    @Test
    void shouldMatchTheConcurrentRuns() throws Exception {
        assertEquals(ConcurrencyTests.CONCURRENT_RUNS, readmeCount("concurrent runs"));
    }

    @Test
    void shouldSayNoRowWasLostOrDuplicated() throws Exception {
        assertEquals(0, readmeCount("rows lost or duplicated"));
    }
}
