package gateway.backup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.backup.domain.DataStorage;
import gateway.backup.storage.fs.FsStorage;
import gateway.backup.storage.s3.S3Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory: a storage by {@code data_storages.type}, or a clear error naming the row. */
class StoragesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private static DataStorage row(long id, String name, String type, JsonNode settings) {
        DataStorage row = new DataStorage();
        row.id = id;
        row.name = name;
        row.type = type;
        row.settings = settings;
        return row;
    }

    private static String failure(DataStorage row) {
        return assertThrows(StorageException.class, () -> Storages.open(row)).getMessage();
    }

    @Test
    void shouldOpenFsAndS3Storages() throws Exception {
        try (BackupStorage fs = Storages.open(row(1, "disk", "fs", JSON.createObjectNode().put("directory", directory.toString())))) {
            assertInstanceOf(FsStorage.class, fs);
        }
        JsonNode s3 = JSON.readTree("{\"s3\": {\"bucketName\": \"b\", \"endpoint\": \"http://127.0.0.1:9\", \"region\": \"eu-west-1\","
                + " \"accessKey\": \"AKIAEXAMPLEKEY\", \"secretKey\": \"very-secret\", \"pathStyle\": true}}");
        try (BackupStorage storage = Storages.open(row(2, "bucket", "s3", s3))) {
            assertInstanceOf(S3Storage.class, storage);
            assertEquals("s3://b/ at http://127.0.0.1:9", storage.describe());
        }
    }

    @Test
    void shouldRefuseTheDatabaseType() {
        String message = failure(row(3, "Primary", "database", JSON.createObjectNode()));

        assertEquals("Data storage 3 (\"Primary\"): it has type database, which keeps no files; choose an fs, s3 or webdav storage",
                message);
    }

    @Test
    void shouldRefuseTypesThisServiceCannotWriteToAndIncompleteWebDavSettings() {
        assertTrue(failure(row(4, "cloud", "gcs", JSON.createObjectNode())).startsWith("Data storage 4 (\"cloud\"): it has type gcs"));
        assertEquals("Data storage 5 (\"nas\"): webdav storage settings need a \"webdav\" object with url, username and password",
                failure(row(5, "nas", "webdav", JSON.createObjectNode())));
    }

    @Test
    void shouldRefuseArchivedAndDeletedStorages() {
        DataStorage archived = row(6, "old", "fs", JSON.createObjectNode().put("directory", directory.toString()));
        archived.status = "archived";
        DataStorage deleted = row(7, "gone", "fs", JSON.createObjectNode().put("directory", directory.toString()));
        deleted.deletedAt = 1_700_000_000L;

        assertEquals("Data storage 6 (\"old\") is archived; choose an active storage", failure(archived));
        assertEquals("Data storage 7 (\"gone\") is deleted; choose an active storage", failure(deleted));
    }

    @Test
    void shouldNameTheStorageButNoSecretWhenSettingsAreIncomplete() throws Exception {
        JsonNode s3 = JSON.readTree("{\"s3\": {\"accessKey\": \"AKIAEXAMPLEKEY\", \"secretKey\": \"very-secret\"}}");

        String message = failure(row(8, "half-done", "s3", s3));

        assertEquals("Data storage 8 (\"half-done\"): s3 storage settings need \"s3.bucketName\"", message);
        assertFalse(message.contains("very-secret"));
        assertTrue(failure(row(9, "no-dir", "fs", JSON.createObjectNode())).startsWith("Data storage 9 (\"no-dir\"): "));
    }
}
