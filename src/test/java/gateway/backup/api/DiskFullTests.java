package gateway.backup.api;

import static gateway.backup.TestApi.asOwner;
import static gateway.backup.TestApi.multipart;
import static gateway.backup.TestApi.fixture;
import static gateway.backup.TestApi.fixturePath;
import static gateway.backup.TestApi.RESTORE_OPERATIONS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.backup.Eventually;
import gateway.backup.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The spool directory on a full disk: a 1 MiB tmpfs mounted for this class (the tests run as
 * root here; elsewhere the class is skipped). An import that does not fit is answered 507 with
 * what to do, writes nothing, and leaves no file; the space is given back for the next restore.
 * A multipart upload that declares more than the disk's free space is refused before it is read.
 */
@QuarkusTest
@QuarkusTestResource(value = DiskFullTests.SmallDisk.class, restrictToAnnotatedClass = true)
public class DiskFullTests {

    static final Path SPOOL = Path.of("target/test-uploads-disk-full").toAbsolutePath();
    static final String DISK_FULL = "The disk of the service's spool directory (gateway-backup.restore.upload-directory) is full";

    /** Mounts the tmpfs before the service starts, unmounts it after. */
    public static class SmallDisk implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Files.createDirectories(SPOOL);
                new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", SPOOL.toString())
                        .inheritIO().start().waitFor();
            } catch (Exception e) {
                // not allowed here: the test is skipped
            }
            return Map.of("gateway-backup.restore.upload-directory", SPOOL.toString());
        }

        @Override
        public void stop() {
            try {
                new ProcessBuilder("umount", SPOOL.toString()).inheritIO().start().waitFor();
            } catch (Exception e) {
                // nothing mounted
            }
        }
    }

    @Inject
    TestDatabase db;

    @BeforeEach
    void onASmallDisk() throws Exception {
        Assumptions.assumeTrue("tmpfs".equals(Files.getFileStore(SPOOL).type()), "no tmpfs could be mounted (needs root)");
        db.reset();
    }

    /**
     * The fixture with 1.2 MB of padding in an unknown key: valid, and more than the disk, yet small
     * enough to be sent whole before the answer (the service answers as soon as the disk is full).
     */
    static byte[] largeFile() throws Exception {
        String fixture = Files.readString(fixturePath());
        return fixture.replaceFirst("\\{", "{\"padding\": \"" + "x".repeat(1200 * 1024) + "\",")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static long filesLeft() throws Exception {
        try (var files = Files.list(SPOOL)) {
            return files.count();
        }
    }

    @Test
    void shouldAnswerAFullDiskWith507AndLeaveNothing() throws Exception {
        byte[] large = largeFile();
        asOwner().body(large).post(BadInputTests.IMPORT)
                .then().statusCode(507).body("error", containsString(DISK_FULL));
        Eventually.waitFor(() -> filesLeft() == 0, "no spool file left");
        assertEquals(0, db.count("channels"), "nothing restored");

        // The space is given back: a file that fits restores.
        asOwner()
                .body(fixture()).post(BadInputTests.IMPORT)
                .then().statusCode(200);
        assertEquals(3, db.count("usage_logs"));
    }

    @Test
    void shouldAnswerAGzipFileThatDecompressesPastTheDiskWith507() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(largeFile());
        }
        asOwner().body(zipped.toByteArray()).post(BadInputTests.IMPORT)
                .then().statusCode(507).body("error", containsString(DISK_FULL));
        Eventually.waitFor(() -> filesLeft() == 0, "no spool file left");
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldRefuseAMultipartUploadLargerThanTheFreeDiskBeforeReadingIt() throws Exception {
        Path file = Files.createTempFile("disk-full-", ".json");
        try {
            Files.write(file, largeFile());
            multipart(asOwner(), RESTORE_OPERATIONS)
                    .multiPart("0", file.toFile(), "application/json")
                    .post("/admin/graphql").then().statusCode(507)
                    .body("errors[0].message", containsString(DISK_FULL));
        } finally {
            Files.deleteIfExists(file);
        }
        Eventually.waitFor(() -> filesLeft() == 0, "no spool file left");
        assertEquals(0, db.count("channels"), "nothing restored");
    }
}
