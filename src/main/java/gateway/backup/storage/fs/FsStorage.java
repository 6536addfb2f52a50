package gateway.backup.storage.fs;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.nio.file.ExtendedOpenOption;
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
 * Where the file system allows O_DIRECT, the file is written past the page cache and every block is
 * read back from the disk as it is written ({@link DirectWriteStream}): a backup does not push the
 * database's pages out of the node's cache, and the check is of the disk. Elsewhere (tmpfs, say) the
 * file is written through the cache and only its size is checked; the caller reads it back.
 */
public final class FsStorage implements BackupStorage {

    private static final String TEMP_PREFIX = ".tmp-";

    private final Path directory;
    private final boolean direct;
    private final Consumer<Path> afterUpload;
    private final Consumer<Path> beforeReadBack;

    public FsStorage(Path directory) {
        this(directory, true, file -> {
        }, file -> {
        });
    }

    /**
     * @param direct         whether to write with O_DIRECT where the file system allows it
     * @param afterUpload    called with the file between its rename and its check; tests use it to change the file
     * @param beforeReadBack called with the temp file before each block is read back (O_DIRECT only); tests change it there
     */
    FsStorage(Path directory, boolean direct, Consumer<Path> afterUpload, Consumer<Path> beforeReadBack) {
        this.directory = directory;
        this.direct = direct;
        this.afterUpload = afterUpload;
        this.beforeReadBack = beforeReadBack;
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
            String where = name + " in " + describe();
            long alignment = direct ? alignment(directory) : 0;
            if (DirectWriteStream.usable(alignment)) {
                try {
                    FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
                    return new PendingFsFile(channel, temp, target, where,
                            new DirectWriteStream(channel, (int) alignment, where, () -> beforeReadBack.accept(temp)));
                } catch (IOException | UnsupportedOperationException e) {
                    Files.deleteIfExists(temp); // the file system refused O_DIRECT (EINVAL): write through the cache
                }
            }
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new PendingFsFile(channel, temp, target, where, null);
        } catch (IOException e) {
            throw new StorageException("Cannot create " + name + " in " + describe() + ": " + e.getClass().getSimpleName()
                    + "; check that the directory exists and is writable", e);
        }
    }

    /** The directory's file system block size, which O_DIRECT needs buffers and places aligned to; 0 if unknown. */
    private static long alignment(Path directory) {
        try {
            return Files.getFileStore(directory).getBlockSize();
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
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
        private final DirectWriteStream direct;
        private final CountingStream out;
        private boolean finished;

        /**
         * @param where  the file and storage, for messages
         * @param direct the O_DIRECT writer of {@code channel}, or null to write through the page cache
         */
        PendingFsFile(FileChannel channel, Path temp, Path target, String where, DirectWriteStream direct) {
            this.channel = channel;
            this.temp = temp;
            this.target = target;
            this.direct = direct;
            this.out = new CountingStream(direct != null ? direct : Channels.newOutputStream(channel), where);
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public Completed complete() throws IOException {
            try {
                out.flush();
                if (direct != null) {
                    direct.finish();
                }
                channel.force(true);
                channel.close();
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                finished = true;
            } catch (StorageException e) {
                abort();
                throw e;
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
            return new Completed(stored, direct != null ? Verification.READ_BACK : Verification.SIZE);
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
            } catch (StorageException e) {
                throw e;
            } catch (IOException e) {
                throw new StorageException("Cannot write " + where + ": " + e.getMessage(), e);
            }
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (StorageException e) {
                throw e;
            } catch (IOException e) {
                throw new StorageException("Cannot write " + where + ": " + e.getMessage(), e);
            }
            count += len;
        }
    }
}
