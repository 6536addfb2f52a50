package gateway.backup.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.backup.backup.BackupService.BackupSummary;
import gateway.backup.manifest.Sha256;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.BackupStorage.Completed;
import gateway.backup.storage.BackupStorage.Verification;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.StoredFile;
import gateway.backup.storage.fs.FsStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a run checks the stored backup's content, by what the storage's complete() compared. */
class ContentCheckTests {

    static final byte[] WRITTEN = "{\"format\":\"written\"}".getBytes(StandardCharsets.UTF_8);
    static final byte[] OTHER = "{\"format\":\"changed\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void shouldReadBackAndCatchOtherBytesOfTheSameSizeWhenOnlyTheSizeWasChecked() throws IOException {
        Files.write(dir.resolve("backup.json"), OTHER);
        try (BackupStorage storage = new FsStorage(dir)) {
            StorageException failure = assertThrows(StorageException.class,
                    () -> AutoBackupRunner.checkContent(storage, "backup.json", completed(Verification.SIZE), summary()));

            assertTrue(failure.getMessage().contains("differs from what was written"), failure.getMessage());
        }
    }

    @Test
    void shouldReadBackAndAcceptTheBytesWrittenWhenOnlyTheSizeWasChecked() throws IOException {
        Files.write(dir.resolve("backup.json"), WRITTEN);
        try (BackupStorage storage = new FsStorage(dir)) {
            assertEquals(Verification.READ_BACK,
                    AutoBackupRunner.checkContent(storage, "backup.json", completed(Verification.SIZE), summary()));
        }
    }

    @Test
    void shouldNotReadBackWhenTheStoreComparedTheContent() throws IOException {
        // Nothing to read: a read-back would fail.
        try (BackupStorage storage = new FsStorage(dir)) {
            assertEquals(Verification.CONTENT,
                    AutoBackupRunner.checkContent(storage, "backup.json", completed(Verification.CONTENT), summary()));
            assertEquals(Verification.READ_BACK,
                    AutoBackupRunner.checkContent(storage, "backup.json", completed(Verification.READ_BACK), summary()));
        }
    }

    @Test
    void shouldReadBackWhenTheCheckedSizeIsNotTheSizeWritten() throws IOException {
        Files.write(dir.resolve("backup.json"), OTHER);
        Completed shorter = new Completed(new StoredFile("backup.json", WRITTEN.length - 1, Instant.now()),
                Verification.CONTENT);
        try (BackupStorage storage = new FsStorage(dir)) {
            assertThrows(StorageException.class, () -> AutoBackupRunner.checkContent(storage, "backup.json", shorter, summary()));
        }
    }

    static Completed completed(Verification verification) {
        return new Completed(new StoredFile("backup.json", WRITTEN.length, Instant.now()), verification);
    }

    static BackupSummary summary() throws IOException {
        Sha256.Digest digest = Sha256.of(new ByteArrayInputStream(WRITTEN));
        CRC32C crc32c = new CRC32C();
        crc32c.update(WRITTEN);
        return new BackupSummary(Map.of(), digest.size(), digest.sha256(), crc32c.getValue(), "2026-11-26T02:00:00Z", null);
    }
}
