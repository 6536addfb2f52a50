package gateway.backup.storage.fs;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.StorageNames;
import gateway.backup.storage.StoredFile;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A directory (a PVC in Kubernetes): {@code {"directory": "/backups"}}. A file is written to a
 * hidden temp file in the same directory, synced, then renamed, so a reader never sees half a file.
 */
public final class FsStorage implements BackupStorage {

    private static final String TEMP_PREFIX = ".tmp-";

    private final Path directory;
    private final Consumer<Path> afterUpload;

    public FsStorage(Path directory) {
        this(directory, file -> {
        });
    }

    /** @param afterUpload called with the file between its rename and its check; tests use it to change the file */
    FsStorage(Path directory, Consumer<Path> afterUpload) {
        this.directory = directory;
        this.afterUpload = afterUpload;
    }

    /** From the gateway's settings JSON: {@code {"directory": "..."}}. */
    public static FsStorage fromSettings(JsonNode settings) throws StorageException {
        String directory = settings == null ? "" : settings.path("directory").asText("");
        if (directory.isBlank()) {
            throw new StorageException("fs storage settings need a \"directory\"");
        }
        return new FsStorage(Path.of(directory));
    }

    @Override
    public PendingFile create(String name) throws IOException {
        Path target = resolve(name);
        Path temp = directory.resolve(TEMP_PREFIX + UUID.randomUUID() + "-" + name);
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new PendingFsFile(channel, temp, target);
        } catch (IOException e) {
            throw new StorageException("Cannot create " + name + " in " + describe() + ": " + e.getClass().getSimpleName()
                    + "; check that the directory exists and is writable", e);
        }
    }

    @Override
    public List<StoredFile> list(String prefix) throws IOException {
        List<StoredFile> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    stat(entry).ifPresent(files::add);
                }
            }
        }
        return files;
    }

    @Override
    public Optional<StoredFile> stat(String name) throws IOException {
        return stat(resolve(name));
    }

    private static Optional<StoredFile> stat(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? Optional.of(new StoredFile(file.getFileName().toString(), attributes.size(),
                            attributes.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(resolve(name));
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(resolve(name));
    }

    @Override
    public String describe() {
        return "fs:" + directory;
    }

    /** A plain file name inside the directory; anything with a path separator or ".." is refused. */
    private Path resolve(String name) throws StorageException {
        if (StorageNames.requireFileName(name, describe()).startsWith(TEMP_PREFIX)) {
            throw new StorageException("Not a backup file name for " + describe() + ": \"" + name
                    + "\"; names starting with " + TEMP_PREFIX + " are this storage's temp files");
        }
        return directory.resolve(name);
    }

    private final class PendingFsFile implements PendingFile {
        private final FileChannel channel;
        private final Path temp;
        private final Path target;
        private final CountingStream out;
        private boolean finished;

        PendingFsFile(FileChannel channel, Path temp, Path target) {
            this.channel = channel;
            this.temp = temp;
            this.target = target;
            this.out = new CountingStream(Channels.newOutputStream(channel), target.getFileName() + " in " + describe());
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public Completed complete() throws IOException {
            try {
                out.flush();
                channel.force(true);
                channel.close();
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                finished = true;
            } catch (IOException e) {
                abort();
                throw new StorageException("Cannot write " + target.getFileName() + " to " + describe()
                        + ": " + e.getClass().getSimpleName(), e);
            }
            afterUpload.accept(target);
            StoredFile stored = stat(target).orElse(null);
            if (stored == null || stored.size() != out.count || stored.size() == 0) {
                Files.deleteIfExists(target);
                throw new StorageException("Stored file " + target.getFileName() + " in " + describe() + " has "
                        + (stored == null ? "vanished" : stored.size() + " bytes") + " but " + out.count
                        + " were written; removed it");
            }
            return new Completed(stored, Verification.SIZE);
        }

        @Override
        public void abort() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a file we are deleting
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more to do: the temp file is hidden and carries the temp prefix
            }
        }
    }

    /** Counts the bytes written and turns a write error into one naming the file and the storage. */
    private static final class CountingStream extends FilterOutputStream {
        private final String where;
        long count;

        CountingStream(OutputStream out, String where) {
            super(out);
            this.where = where;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new StorageException("Cannot write " + where + ": " + e.getMessage(), e);
            }
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new StorageException("Cannot write " + where + ": " + e.getMessage(), e);
            }
            count += len;
        }
    }
}
