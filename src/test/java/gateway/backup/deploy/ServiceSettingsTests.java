package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names the manifests are checked against come from the service's own configuration. */
class ServiceSettingsTests {

    @Test
    void shouldDeriveEnvironmentNamesFromTheConfigMappingAndTheProperties() {
        Set<String> names = ServiceSettings.environmentNames();
        // From GatewayBackupConfig (nested groups, inherited methods, camelCase to kebab).
        assertTrue(names.containsAll(Set.of("GATEWAY_BACKUP_RESTORE_UPLOAD_DIRECTORY", "GATEWAY_BACKUP_RESTORE_MAX_UPLOAD_SIZE",
                "GATEWAY_BACKUP_RESTORE_BATCH_SIZE", "GATEWAY_BACKUP_BACKUP_BATCH_MAX_SIZE", "GATEWAY_BACKUP_JWT_SECRET",
                "GATEWAY_BACKUP_AUTO_BACKUP_CRON", "GATEWAY_BACKUP_AUTO_BACKUP_TIMEZONE")), names.toString());
        // From ${...} in application.properties.
        assertTrue(names.contains("GATEWAY_BACKUP_JWT_ISSUER"), names.toString());
        assertTrue(names.containsAll(ServiceSettings.QUARKUS_NAMES));
        assertFalse(names.contains("GATEWAY_BACKUP_TEST_DB"), "tests only");
        assertFalse(names.contains("GATEWAY_BACKUP_BACKUP_BATCH_LIMIT"), "a default method is not a setting");
    }

    @Test
    void shouldReadTheShutdownDelayAndTimeout() {
        assertEquals(Duration.ofSeconds(25), ServiceSettings.shutdownTime());
    }
}
