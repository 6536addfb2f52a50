package gateway.backup.storage.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageContractTests;
import gateway.backup.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on a real directory; a vanished directory is the store failing mid-write. */
class FsStorageTests extends StorageContractTests {

    @TempDir
    Path root;

    private Path directory() {
        return root.resolve("backups");
    }

    @Override
    protected BackupStorage storage(Tamper tamper) {
        Consumer<Path> change = switch (tamper) {
            case NONE -> file -> {
            };
            case SHORTEN -> file -> truncate(file, size(file) / 2);
            case EMPTY -> file -> truncate(file, 0);
        };
        return new FsStorage(directory(), true, change, file -> {
        });
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry in the directory, temp files included. */
    @Override
    protected List<String> leftovers() throws IOException {
        if (!Files.isDirectory(directory())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory())) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    protected void breakStorage() throws IOException {
        try (Stream<Path> files = Files.walk(directory())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Override
    protected void repair() throws IOException {
        Files.createDirectories(directory());
    }

    @Override
    protected String location() {
        return directory().toString();
    }

    @Override
    protected List<String> secrets() {
        return List.of();
    }

    @Override
    protected void assertBoundedBuffer(BackupStorage.PendingFile pending) {
        // the fs storage holds at most two blocks of DirectWriteStream.BLOCK_SIZE, whatever the file's size
    }

    @Test
    void shouldRefuseItsOwnTempFileNames() throws IOException {
        try (BackupStorage storage = storage()) {
            StorageException failure = assertThrows(StorageException.class, () -> storage.open(".tmp-x-backup.json"));

            assertTrue(failure.getMessage().contains("temp files"), failure.getMessage());
        }
    }

    @Test
    void shouldNameTheDirectoryWhenItCannotBeCreated() throws IOException {
        Files.writeString(root.resolve("a-file"), "not a directory");
        try (BackupStorage storage = new FsStorage(root.resolve("a-file").resolve("backups"))) {
            StorageException failure = assertThrows(StorageException.class, () -> storage.create("backup.json"));

            assertTrue(failure.getMessage().contains(root.resolve("a-file").resolve("backups").toString()),
                    failure.getMessage());
        }
    }

    @Test
    void shouldReadTheDirectoryFromTheGatewaySettings() throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("directory", directory().toString());

        try (BackupStorage storage = FsStorage.fromSettings(json)) {
            write(storage, "backup.json", randomBytes(10, 1));
        }

        assertEquals(List.of("backup.json"), leftovers());
        assertThrows(StorageException.class,
                () -> FsStorage.fromSettings(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()));
    }

    @Test
    void shouldWritePastThePageCacheAndReadEveryBlockBack() throws IOException {
        assumeTrue(directIoWorksIn(root), "this file system refuses O_DIRECT");
        byte[] content = randomBytes(2 * DirectWriteStream.BLOCK_SIZE + 12_345, 21);
        try (BackupStorage storage = storage()) {
            BackupStorage.PendingFile pending = storage.create("backup.json");
            pending.out().write(content, 0, 1000);
            pending.out().write(content, 1000, content.length - 1000);
            BackupStorage.Completed completed = pending.complete();

            assertEquals(BackupStorage.Verification.READ_BACK, completed.verification());
            assertEquals(content.length, completed.file().size());
            assertArrayEquals(content, Files.readAllBytes(directory().resolve("backup.json")));
        }
    }

    @Test
    void shouldCatchABlockTheDiskDoesNotHoldAsWrittenAndKeepNothing() throws IOException {
        assumeTrue(directIoWorksIn(root), "this file system refuses O_DIRECT");
        byte[] content = randomBytes(DirectWriteStream.BLOCK_SIZE + 100, 22);
        FsStorage storage = new FsStorage(directory(), true, file -> {
        }, temp -> {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) ~content[DirectWriteStream.BLOCK_SIZE + 7]}),
                        DirectWriteStream.BLOCK_SIZE + 7);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        StorageException failure = assertThrows(StorageException.class, () -> write(storage, "backup.json", content));

        assertTrue(failure.getMessage().contains("differs from what was written at byte " + (DirectWriteStream.BLOCK_SIZE + 7)),
                failure.getMessage());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void shouldWriteThroughThePageCacheAndLeaveTheCheckToTheCallerWithoutDirectIo() throws IOException {
        byte[] content = randomBytes(DirectWriteStream.BLOCK_SIZE + 5, 23);
        FsStorage storage = new FsStorage(directory(), false, file -> {
        }, file -> {
        });
        BackupStorage.PendingFile pending = storage.create("backup.json");
        pending.out().write(content);
        BackupStorage.Completed completed = pending.complete();

        assertEquals(BackupStorage.Verification.SIZE, completed.verification());
        assertArrayEquals(content, Files.readAllBytes(directory().resolve("backup.json")));
    }

    private static boolean directIoWorksIn(Path directory) {
        Path probe = directory.resolve("direct-probe");
        try (FileChannel ignored = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a probe left in a temp directory
            }
        }
    }
}
