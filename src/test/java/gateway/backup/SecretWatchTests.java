package gateway.backup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.backup.security.TestTokens;
import gateway.backup.storage.WebDavTestServer;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The secret watch itself: it does see a secret in a log line, an exception or an error answer. */
@QuarkusTest
class SecretWatchTests {

    private static String takeLeaks() throws Exception {
        String leaks = Files.exists(SecretWatch.LEAKS) ? Files.readString(SecretWatch.LEAKS) : "";
        Files.deleteIfExists(SecretWatch.LEAKS); // recorded on purpose: not a leak of this class
        return leaks;
    }

    @Test
    void shouldSeeASecretInALogLineOrAnException() throws Exception {
        takeLeaks();
        Log.infof("watch test: password %s", WebDavTestServer.PASSWORD);
        Log.warn("watch test: failed", new IllegalStateException("token " + TestTokens.member()));
        Log.info("watch test: nothing to see");
        String leaks = takeLeaks();
        assertTrue(leaks.contains("holds " + WebDavTestServer.PASSWORD), leaks);
        assertTrue(leaks.contains("holds a JWT"), leaks);
        assertFalse(leaks.contains("nothing to see"), leaks);
    }

    @Test
    void shouldSeeASecretInAnErrorAnswer() throws Exception {
        takeLeaks();
        SecretWatchExtension.check("/graphql", 200, "{\"errors\":[{\"message\":\"bad key ah-research-key-0001\"}]}");
        SecretWatchExtension.check("/api/backups/import", 400, "{\"error\":\"sk-upstream-openai-AAAA\"}");
        SecretWatchExtension.check("/graphql", 200, "{\"data\":{\"backup\":{\"data\":\"sk-upstream-openai-AAAA\"}}}");
        String leaks = takeLeaks();
        assertTrue(leaks.contains("holds ah-research-key-0001"), leaks);
        assertTrue(leaks.contains("/api/backups/import (400) holds sk-upstream-openai-AAAA"), leaks);
        assertFalse(leaks.contains("(200) holds sk-upstream-openai-AAAA"), "a backup's data is the file, not an error");
    }
}
