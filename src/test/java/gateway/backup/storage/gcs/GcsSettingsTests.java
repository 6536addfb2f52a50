package gateway.backup.storage.gcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Only the settings: no GCS server can run on the build machines (see README), so uploads,
 * listing and verification of the gcs storage are not exercised here.
 */
class GcsSettingsTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service-account key as Google issues it, with a freshly generated private key. */
    private static ObjectNode serviceAccountKey() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return JSON.createObjectNode().put("type", "service_account").put("project_id", "gateway-backups")
                .put("private_key_id", "0123456789abcdef").put("private_key", pem)
                .put("client_email", "backup@gateway-backups.iam.gserviceaccount.com").put("client_id", "1234567890")
                .put("token_uri", "https://oauth2.googleapis.com/token");
    }

    private static ObjectNode settings(String bucket, String credential) {
        ObjectNode settings = JSON.createObjectNode();
        settings.putObject("gcs").put("bucketName", bucket).put("credential", credential);
        return settings;
    }

    @Test
    void shouldReadTheGatewaySettingsAndHideTheCredential() throws Exception {
        String key = serviceAccountKey().toString();

        GcsSettings settings = GcsSettings.fromJson(settings("backups", key));

        assertEquals(new GcsSettings("backups", key), settings);
        assertEquals("GcsSettings[bucketName=backups, credential=***]", settings.toString());
        try (BackupStorage storage = GcsStorage.fromSettings(settings("backups", key))) {
            assertEquals("gs://backups/", storage.describe());
        }
    }

    @Test
    void shouldRefuseMissingKeysAndABrokenCredentialWithoutQuotingIt() throws Exception {
        ObjectNode key = serviceAccountKey();
        key.remove("client_email");
        String broken = key.toString();

        assertTrue(assertThrows(StorageException.class, () -> GcsSettings.fromJson(settings("", "{}"))).getMessage()
                .contains("gcs.bucketName"));
        assertTrue(assertThrows(StorageException.class, () -> GcsSettings.fromJson(settings("b", ""))).getMessage()
                .contains("gcs.credential"));
        String message = assertThrows(StorageException.class, () -> GcsStorage.fromSettings(settings("b", broken)))
                .getMessage();
        assertTrue(message.contains("is not a service-account key JSON"), message);
        assertFalse(message.contains("PRIVATE KEY"), message);
    }
}
