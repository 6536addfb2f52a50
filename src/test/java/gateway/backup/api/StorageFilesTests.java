package gateway.backup.api;

import static gateway.backup.TestApi.as;
import static gateway.backup.TestApi.asOwner;
import static gateway.backup.TestApi.multipart;
import static gateway.backup.TestApi.fixture;
import static gateway.backup.TestApi.fixturePath;
import static gateway.backup.TestApi.RESTORE_OPERATIONS;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.TestDatabase;
import gateway.backup.domain.DataStorage;
import gateway.backup.security.TestTokens;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.S3TestServer;
import gateway.backup.storage.Storages;
import gateway.backup.storage.WebDavTestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backup files in a storage: listed, restored without a download, deleted, downloaded; other names refused. */
@QuarkusTest
class StorageFilesTests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String INPUT = "{includeChannels: true, includeModels: true, includeAPIKeys: true, channelConflictStrategy: skip, "
            + "modelConflictStrategy: skip, modelPriceConflictStrategy: skip, apiKeyConflictStrategy: skip}";
    static final String REPORT = "success message jobId report { kinds { kind created updated skipped } warningCount }";
    static final List<String> TABLES = List.of("projects", "channels", "models", "channel_model_prices", "api_keys",
            "requests", "usage_logs");
    static final int FS = 1;
    static final int S3 = 2;

    static S3TestServer s3;
    static Path root;

    @Inject
    TestDatabase db;

    @ConfigProperty(name = "gateway-backup.restore.upload-directory")
    String spoolDirectory;

    Path directory;
    ObjectNode s3Settings;

    @BeforeAll
    static void startServers() throws Exception {
        s3 = S3TestServer.start();
        root = Files.createTempDirectory("storage-files");
    }

    @AfterAll
    static void stopServers() {
        s3.close();
    }

    @BeforeEach
    void storages() throws Exception {
        db.reset();
        directory = Files.createDirectories(root.resolve(UUID.randomUUID().toString()).resolve("backups"));
        s3Settings = s3.settings("t-" + UUID.randomUUID() + "/");
        insertStorages();
    }

    void insertStorages() {
        db.execute("insert into data_storages (id, name, type, settings) values (" + FS + ", 'local', 'fs', '"
                + JSON.createObjectNode().put("directory", directory.toString()) + "'), (" + S3 + ", 'bucket', 's3', '"
                + s3Settings + "')");
    }

    static DataStorage row(long id, String type, JsonNode settings) {
        DataStorage row = new DataStorage();
        row.id = id;
        row.name = "test " + type;
        row.type = type;
        row.settings = settings;
        return row;
    }

    BackupStorage open(int id) throws Exception {
        return Storages.open(id == FS ? row(FS, "fs", JSON.createObjectNode().put("directory", directory.toString()))
                : row(S3, "s3", s3Settings));
    }

    /** A backup file of the database as it is now, from the export endpoint. */
    static Path exportFile() throws Exception {
        Path file = Files.createTempFile("export", ".json");
        try (InputStream in = asOwner()
                .get("/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=true&compression=none")
                .then().statusCode(200).extract().asInputStream()) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** Streams a file into a storage, as the auto-backup run does. */
    static void put(BackupStorage storage, String name, Path file) throws Exception {
        BackupStorage.PendingFile pending = storage.create(name);
        try (InputStream in = Files.newInputStream(file)) {
            OutputStream out = pending.out();
            in.transferTo(out);
            pending.complete();
        } catch (Exception e) {
            pending.abort();
            throw e;
        }
    }

    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        TABLES.forEach(table -> counts.put(table, db.count(table)));
        return counts;
    }

    static Response restoreFromStorage(int id, String name) {
        return asOwner().contentType("application/json")
                .body(Map.of("query", "mutation($name: String!) { restoreFromStorage(dataStorageID: " + id + ", name: $name, input: "
                        + INPUT + ") { " + REPORT + " } }", "variables", Map.of("name", name)))
                .post("/graphql");
    }

    static List<String> listed(int id) {
        return GraphQLClient.post("{ backupFiles(dataStorageID: " + id + ") { name size modifiedAt manifest } }")
                .extract().path("data.backupFiles.name");
    }

    @Test
    void shouldListOnlyBackupFilesNewestFirstOnFs() throws Exception {
        Instant now = Instant.now();
        String[] backups = {"axonhub-backup-2026-01-01_02-00-00.json", "axonhub-backup-2026-01-02_02-00-00.json.gz",
            "axonhub-backup-2026-01-03_02-00-00.json"};
        for (int i = 0; i < backups.length; i++) {
            Path file = Files.writeString(directory.resolve(backups[i]), "{}");
            Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(3600L * (backups.length - i))));
        }
        for (String other : new String[] {"notes.txt", "axonhub-backup-latest.json", "other-2026-01-04_02-00-00.json",
            ".tmp-" + UUID.randomUUID() + "-axonhub-backup-2026-01-04_02-00-00.json", "axonhub-backup-2026-01-04_02-00-00.json.manifest"}) {
            Files.writeString(directory.resolve(other), "{}");
        }
        assertEquals(List.of(backups[2], backups[1], backups[0]), listed(FS));
        GraphQLClient.post("{ backupFiles(dataStorageID: " + FS + ") { name size manifest } }")
                .body("data.backupFiles[0].size", equalTo(2))
                .body("data.backupFiles[0].manifest", equalTo(null));
    }

    @Test
    void shouldListOnlyBackupFilesNewestFirstOnS3() throws Exception {
        Path file = Files.writeString(Files.createTempFile("b", ".json"), "{}");
        try (BackupStorage storage = open(S3)) {
            put(storage, "notes.txt", file);
            put(storage, "axonhub-backup-2026-03-01_02-00-00.json", file);
            Thread.sleep(1100); // S3 times have whole seconds
            put(storage, "axonhub-backup-2026-02-01_02-00-00.json", file); // written later: newer, whatever its name says
            put(storage, "other-2026-03-01_02-00-00.json", file);
            Thread.sleep(1100);
            put(storage, "axonhub-backup-2026-03-02_02-00-00.json.gz", file);
        }
        assertEquals(List.of("axonhub-backup-2026-03-02_02-00-00.json.gz", "axonhub-backup-2026-02-01_02-00-00.json",
                "axonhub-backup-2026-03-01_02-00-00.json"), listed(S3));
    }

    @Test
    void shouldRestoreFromStorageWhatTheMultipartRestoreRestores() throws Exception {
        UsageRows.seed(db, 300);
        Path file = exportFile();
        String name = "axonhub-backup-2026-06-01_02-00-00.json";
        for (int id : new int[] {FS, S3}) {
            try (BackupStorage storage = open(id)) {
                put(storage, name, file);
            }
        }
        db.reset();
        insertStorages();
        JsonNode multipart = JSON.readTree(multipart(asOwner(), RESTORE_OPERATIONS)
                .multiPart("0", file.toFile(), "application/json").post("/graphql").then().statusCode(200)
                .extract().asString()).at("/data/restore");
        assertTrue(multipart.get("success").asBoolean(), multipart.toString());
        Map<String, Long> expected = counts();
        assertEquals(302L, expected.get("usage_logs"));

        for (int id : new int[] {FS, S3}) {
            db.reset();
            insertStorages();
            JsonNode first = JSON.readTree(restoreFromStorage(id, name).then().statusCode(200).extract().asString())
                    .at("/data/restoreFromStorage");
            assertTrue(first.get("success").asBoolean(), first.toString());
            assertEquals(multipart.at("/report/kinds"), first.at("/report/kinds"), "storage " + id);
            assertEquals(multipart.at("/report/warningCount"), first.at("/report/warningCount"), "storage " + id);
            assertEquals(expected, counts(), "storage " + id);
            GraphQLClient.post("{ backupJob(id: \"" + first.get("jobId").asText() + "\") { kind outcome rowsDone } }")
                    .body("data.backupJob.kind", equalTo("restore-from-storage"))
                    .body("data.backupJob.outcome", equalTo("succeeded"));

            JsonNode second = JSON.readTree(restoreFromStorage(id, name).then().statusCode(200).extract().asString())
                    .at("/data/restoreFromStorage");
            assertTrue(second.get("success").asBoolean(), second.toString());
            assertEquals(expected, counts(), "a second restore changes nothing");
            second.at("/report/kinds").forEach(kind -> assertEquals(0, kind.get("created").asLong(), kind.toString()));
        }
        try (Stream<Path> left = Files.list(Path.of(spoolDirectory))) {
            assertEquals(List.of(), left.toList(), "spool files are deleted after the restore");
        }
    }

    @Test
    void shouldRefuseNamesThatAreNotBackupFilesBeforeReadingOrDeleting() throws Exception {
        // Valid backups where a bad name would lead: outside the folder, and inside under other names.
        Path fixture = fixturePath();
        Path outside = Files.copy(fixture, directory.getParent().resolve("axonhub-backup-2026-01-01_00-00-00.json"));
        Files.copy(fixture, directory.resolve("notes.txt"));
        Files.copy(fixture, directory.resolve("other-2026-01-01_00-00-00.json"));
        Files.copy(fixture, directory.resolve(".tmp-1234-axonhub-backup-2026-01-01_00-00-00.json"));
        List<String> refused = List.of("../axonhub-backup-2026-01-01_00-00-00.json", "..", ".", "", "notes.txt",
                "other-2026-01-01_00-00-00.json", ".tmp-1234-axonhub-backup-2026-01-01_00-00-00.json",
                "axonhub-backup-2026-01-01_00-00-00.json/../notes.txt", "..\\axonhub-backup-2026-01-01_00-00-00.json",
                directory.resolve("notes.txt").toString());
        for (String name : refused) {
            restoreFromStorage(FS, name).then().statusCode(200)
                    .body("data.restoreFromStorage.success", equalTo(false))
                    .body("data.restoreFromStorage.message", containsString("backup file"));
            asOwner().contentType("application/json")
                    .body(Map.of("query", "mutation($name: String!) { deleteBackupFile(dataStorageID: " + FS + ", name: $name) }",
                            "variables", Map.of("name", name)))
                    .post("/graphql").then().statusCode(200)
                    .body("errors[0].message", containsString("backup file"));
        }
        for (String path : new String[] {"..%2Faxonhub-backup-2026-01-01_00-00-00.json", "notes.txt",
            ".tmp-1234-axonhub-backup-2026-01-01_00-00-00.json"}) {
            asOwner().urlEncodingEnabled(false)
                    .get("/api/backups/files/" + FS + "/" + path).then().statusCode(400)
                    .body("error", containsString("backup file"));
        }
        assertTrue(Files.exists(outside));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(3, files.count(), "nothing deleted");
        }
        counts().forEach((table, count) -> assertEquals(0L, count, table + ": nothing restored"));
    }

    @Test
    void shouldDeleteABackupFileAndSayWhenThereIsNone() throws Exception {
        String name = "axonhub-backup-2026-01-01_00-00-00.json";
        Files.writeString(directory.resolve(name), "{}");
        String delete = "mutation { deleteBackupFile(dataStorageID: " + FS + ", name: \"" + name + "\") }";
        GraphQLClient.post(delete).body("data.deleteBackupFile", equalTo(true));
        assertTrue(Files.notExists(directory.resolve(name)));
        GraphQLClient.post(delete).body("data.deleteBackupFile", equalTo(false));
        GraphQLClient.post("mutation { deleteBackupFile(dataStorageID: 99, name: \"" + name + "\") }")
                .body("errors[0].message", containsString("No data storage 99"));
    }

    @Test
    void shouldStreamABackupFileForDownload() throws Exception {
        String name = "axonhub-backup-2026-01-01_00-00-00.json";
        byte[] content = fixture();
        for (int id : new int[] {FS, S3}) {
            try (BackupStorage storage = open(id)) {
                put(storage, name, fixturePath());
            }
            Response download = asOwner()
                    .get("/api/backups/files/" + id + "/" + name);
            assertEquals(200, download.statusCode());
            assertEquals("attachment; filename=\"" + name + "\"", download.header("Content-Disposition"));
            assertTrue(download.contentType().startsWith("application/json"), download.contentType());
            assertArrayEquals(content, download.asByteArray());
        }
        asOwner()
                .get("/api/backups/files/" + FS + "/axonhub-backup-2026-01-02_00-00-00.json").then().statusCode(404);
        as(TestTokens.member())
                .get("/api/backups/files/" + FS + "/" + name).then().statusCode(403);
    }

    @Test
    void shouldRestoreABackupRunToWebDav() throws Exception {
        try (WebDavTestServer webdav = WebDavTestServer.start()) {
            UsageRows.seed(db, 300);
            Map<String, Long> source = counts();
            Path file = exportFile();
            ObjectNode settings = webdav.settings("backups");
            String name = "axonhub-backup-2026-06-01_02-00-00.json";
            try (BackupStorage storage = Storages.open(row(3, "webdav", settings))) {
                put(storage, name, file);
            }
            db.reset();
            insertStorages();
            db.execute("insert into data_storages (id, name, type, settings) values (3, 'dav', 'webdav', '" + settings + "')");
            assertEquals(List.of(name), listed(3));
            restoreFromStorage(3, name).then().statusCode(200).body("data.restoreFromStorage.success", equalTo(true));
            assertEquals(source.get("requests"), db.count("requests"));
            assertEquals(source.get("usage_logs"), db.count("usage_logs"));
            assertEquals(List.of("OpenAI Main"), db.column("select name from channels"));
        }
    }
}
