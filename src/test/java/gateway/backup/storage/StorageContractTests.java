package gateway.backup.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one contract every storage keeps (after restic's backend test suite): each storage's test
 * class extends this one and says how to reach its real server, break it and look behind it.
 */
public abstract class StorageContractTests {

    /** What a test's storage does to the stored file between its upload and its verification. */
    public enum Tamper {
        NONE, SHORTEN, EMPTY
    }

    protected static final int LARGE_FILE = 40 * 1024 * 1024;

    /** A storage on an empty folder of the real server, changing stored files as told. */
    protected abstract BackupStorage storage(Tamper tamper) throws IOException;

    /** Everything physically under the storage's folder or bucket: files, temp files, pending uploads. */
    protected abstract List<String> leftovers() throws IOException;

    /** Makes the store fail (server stopped, directory gone) until {@link #repair()}. */
    protected abstract void breakStorage() throws Exception;

    protected abstract void repair() throws Exception;

    /** A text every error message about this storage contains (its directory, bucket or URL). */
    protected abstract String location();

    /** Keys and passwords of this storage, which no message may contain. */
    protected abstract List<String> secrets();

    /** Asserts that a large write held no more than a bounded buffer of file bytes. */
    protected abstract void assertBoundedBuffer(BackupStorage.PendingFile pending);

    protected BackupStorage storage() throws IOException {
        return storage(Tamper.NONE);
    }

    @Test
    void shouldReadBackWhatWasWritten() throws IOException {
        byte[] content = randomBytes(100_000, 1);
        try (BackupStorage storage = storage()) {
            StoredFile stored = write(storage, "axonhub-backup-2026-11-26_02-00-00.json", content);

            assertEquals(new StoredFile("axonhub-backup-2026-11-26_02-00-00.json", content.length, stored.modifiedAt()), stored);
            StoredFile stat = storage.stat("axonhub-backup-2026-11-26_02-00-00.json").orElseThrow();
            assertEquals(content.length, stat.size());
            assertEquals(List.of("axonhub-backup-2026-11-26_02-00-00.json"), names(storage.list("")));
            try (InputStream in = storage.open("axonhub-backup-2026-11-26_02-00-00.json")) {
                assertArrayEquals(content, in.readAllBytes());
            }
        }
    }

    @Test
    void shouldListOnlyFilesWithThePrefix() throws IOException {
        try (BackupStorage storage = storage()) {
            write(storage, "axonhub-backup-1.json", randomBytes(10, 2));
            write(storage, "axonhub-backup-2.json", randomBytes(20, 3));
            write(storage, "notes.txt", randomBytes(30, 4));

            assertEquals(Set.of("axonhub-backup-1.json", "axonhub-backup-2.json"),
                    Set.copyOf(names(storage.list("axonhub-backup-"))));
            assertEquals(3, storage.list("").size());
            assertEquals(List.of(), storage.list("other-"));
        }
    }

    @Test
    void shouldShowNothingUntilComplete() throws IOException {
        try (BackupStorage storage = storage()) {
            BackupStorage.PendingFile pending = storage.create("backup.json");
            pending.out().write(randomBytes(12 * 1024 * 1024, 5));

            assertTrue(storage.stat("backup.json").isEmpty());
            assertEquals(List.of(), storage.list(""));

            pending.complete();
            assertEquals(12 * 1024 * 1024, storage.stat("backup.json").orElseThrow().size());
        }
    }

    @Test
    void shouldLeaveNothingWhenAborted() throws IOException {
        try (BackupStorage storage = storage()) {
            BackupStorage.PendingFile pending = storage.create("backup.json");
            pending.out().write(randomBytes(12 * 1024 * 1024, 6));

            pending.abort();
            pending.abort();

            assertTrue(storage.stat("backup.json").isEmpty());
            assertEquals(List.of(), leftovers());
        }
    }

    @Test
    void shouldLeaveNothingWhenTheStoreFailsMidWrite() throws Exception {
        try (BackupStorage storage = storage()) {
            BackupStorage.PendingFile pending = storage.create("backup.json");
            byte[] chunk = randomBytes(6 * 1024 * 1024, 7);
            pending.out().write(chunk);
            pending.out().write(chunk);
            breakStorage();
            StorageException failure;
            try {
                failure = assertThrows(StorageException.class, () -> {
                    pending.out().write(chunk);
                    pending.out().write(chunk);
                    pending.complete();
                });
            } finally {
                repair();
            }
            pending.abort(); // what a caller does after a failed write

            assertTrue(failure.getMessage().contains(location()), failure.getMessage());
            assertNoSecret(failure);
            assertEquals(List.of(), leftovers());
        }
    }

    @Test
    void shouldRemoveAShortStoredFile() throws IOException {
        try (BackupStorage storage = storage(Tamper.SHORTEN)) {
            StorageException failure = assertThrows(StorageException.class,
                    () -> write(storage, "backup.json", randomBytes(50_000, 8)));

            assertTrue(failure.getMessage().contains("50000 were written"), failure.getMessage());
            assertTrue(failure.getMessage().contains(location()), failure.getMessage());
            assertEquals(List.of(), leftovers());
        }
    }

    @Test
    void shouldRemoveAnEmptyStoredFile() throws IOException {
        try (BackupStorage storage = storage(Tamper.EMPTY)) {
            StorageException failure = assertThrows(StorageException.class,
                    () -> write(storage, "backup.json", randomBytes(50_000, 9)));

            assertTrue(failure.getMessage().contains("has 0 bytes"), failure.getMessage());
            assertEquals(List.of(), leftovers());
        }
    }

    @Test
    void shouldRefuseAnEmptyWrite() throws IOException {
        try (BackupStorage storage = storage()) {
            assertThrows(StorageException.class, () -> write(storage, "backup.json", new byte[0]));

            assertEquals(List.of(), leftovers());
        }
    }

    @Test
    void shouldWriteALargeFileInBoundedMemory() throws Exception {
        try (BackupStorage storage = storage()) {
            MessageDigest written = MessageDigest.getInstance("SHA-256");
            BackupStorage.PendingFile pending = storage.create("large.json");
            byte[] chunk = new byte[4096];
            Random random = new Random(10);
            for (int total = 0; total < LARGE_FILE; total += chunk.length) {
                random.nextBytes(chunk);
                written.update(chunk);
                pending.out().write(chunk);
            }
            StoredFile stored = pending.complete().file();

            assertEquals(LARGE_FILE, stored.size());
            assertBoundedBuffer(pending);
            MessageDigest read = MessageDigest.getInstance("SHA-256");
            try (InputStream in = storage.open("large.json")) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    read.update(buffer, 0, n);
                }
            }
            assertArrayEquals(written.digest(), read.digest());
        }
    }

    @Test
    void shouldRefuseNamesThatAreNotPlainFileNames() throws IOException {
        try (BackupStorage storage = storage()) {
            write(storage, "kept.json", randomBytes(10, 11));
            for (String name : List.of("a/b.json", "../kept.json", "..", ".", "", "other-prefix/kept.json", "a\\b.json",
                    "/kept.json")) {
                assertThrows(StorageException.class, () -> storage.create(name), name);
                assertThrows(StorageException.class, () -> storage.stat(name), name);
                assertThrows(StorageException.class, () -> storage.open(name), name);
                assertThrows(StorageException.class, () -> storage.delete(name), name);
            }

            assertEquals(List.of("kept.json"), names(storage.list("")));
        }
    }

    @Test
    void shouldDeleteAFileAndIgnoreAMissingOne() throws IOException {
        try (BackupStorage storage = storage()) {
            write(storage, "old.json", randomBytes(10, 12));
            write(storage, "new.json", randomBytes(10, 13));

            storage.delete("old.json");
            storage.delete("never-there.json");

            assertTrue(storage.stat("old.json").isEmpty());
            assertEquals(List.of("new.json"), names(storage.list("")));
            assertThrows(IOException.class, () -> storage.open("old.json").close());
        }
    }

    @Test
    void shouldDescribeTheStorageWithoutSecrets() throws IOException {
        try (BackupStorage storage = storage()) {
            assertTrue(storage.describe().contains(location()), storage.describe());
            for (String secret : secrets()) {
                assertFalse(storage.describe().contains(secret), storage.describe());
            }
        }
    }

    protected static StoredFile write(BackupStorage storage, String name, byte[] content) throws IOException {
        BackupStorage.PendingFile pending = storage.create(name);
        try {
            OutputStream out = pending.out();
            out.write(content);
            return pending.complete().file();
        } catch (IOException | RuntimeException e) {
            pending.abort();
            throw e;
        }
    }

    protected void assertNoSecret(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (String secret : secrets()) {
                assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in: " + t.getMessage());
            }
        }
    }

    protected static List<String> names(List<StoredFile> files) {
        return files.stream().map(StoredFile::name).sorted().collect(Collectors.toList());
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
