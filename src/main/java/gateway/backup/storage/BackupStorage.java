package gateway.backup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * One place backup files are kept, as the gateway defines it in {@code data_storages}
 * (restic's backend: save, stat, list, load, remove). Names are plain file names, never paths:
 * a storage keeps its files in one folder (a directory, or a bucket and prefix).
 * <p>
 * Every method blocks (file system, HTTP SDKs): call it on a worker thread, never on the event loop.
 */
public interface BackupStorage extends AutoCloseable {

    /**
     * Starts writing a new file. Nothing is visible under {@code name} until
     * {@link PendingFile#complete()} returns; {@link PendingFile#abort()} leaves nothing behind.
     */
    PendingFile create(String name) throws IOException;

    /** The files whose names start with {@code prefix}, in no particular order. */
    List<StoredFile> list(String prefix) throws IOException;

    /** The file's size and time, or empty when there is none. */
    Optional<StoredFile> stat(String name) throws IOException;

    /** Reads a file from its start; the caller closes the stream. */
    InputStream open(String name) throws IOException;

    /** Deletes a file; a file that is not there is not an error. */
    void delete(String name) throws IOException;

    /** Where this storage keeps files, for logs and messages: never a key or a password. */
    String describe();

    /** Releases clients and connections. */
    @Override
    default void close() {
    }

    /** A file being written: bytes go to {@link #out()}, then exactly one of complete or abort. */
    interface PendingFile {

        OutputStream out();

        /**
         * Finishes the file and checks what the storage kept against what was written (size, and
         * a checksum where the storage keeps one); on a mismatch the stored file is removed and
         * a {@link StorageException} says what differed. The answer says which of the two was compared.
         */
        Completed complete() throws IOException;

        /** Removes whatever was written so far; never throws, safe to call more than once. */
        void abort();
    }

    /** A file {@link PendingFile#complete()} stored, and how far it was checked against what was written. */
    record Completed(StoredFile file, Verification verification) {
    }

    /** What {@link PendingFile#complete()} compared between the stored file and the bytes written. */
    enum Verification {
        /**
         * The size only (equal, and not 0): the store keeps no checksum this storage could compare.
         * A caller that must know the content is intact reads the file back.
         */
        SIZE,
        /** The size and a checksum the store keeps of the content (S3's MD5 ETag, GCS's MD5 or CRC32C). */
        CONTENT,
        /** The size, and every byte read back from the store as it was written and compared (fs with O_DIRECT). */
        READ_BACK
    }
}
