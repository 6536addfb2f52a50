package gateway.backup.restore;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.crypto.AgeEncryption;
import gateway.backup.crypto.EncryptionException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * The one spool directory for uploads, import bodies and decompressed files: private to the
 * service (0700, files 0600), with a cap on the bytes all requests may hold in it at once and a
 * cap on what one gzip or age file may decompress to, both checked while writing; age files are
 * decrypted here with the identity file's keys.
 */
@ApplicationScoped
public class Spool {

    static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path directory;
    private final long maxTotal;
    private final long maxDecompressed;
    private final Path identityFile;
    private final AtomicLong used = new AtomicLong();

    Spool(GatewayBackupConfig config) {
        this.directory = Path.of(config.restore().uploadDirectory()).toAbsolutePath();
        this.maxTotal = config.restore().spoolMaxSize().asLongValue();
        this.maxDecompressed = config.restore().decompressedLimit();
        this.identityFile = config.encryption().identityFile().map(Path::of).orElse(null);
    }

    /** Creates the directory private, or makes an existing one private; refuses one owned by another user. */
    void onStart(@Observes StartupEvent event) throws IOException {
        if (Files.isSymbolicLink(directory)) {
            throw new IllegalStateException("gateway-backup.restore.upload-directory " + directory
                    + " is a symbolic link; point it at a directory only this service uses");
        }
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory, asAttribute(PRIVATE_DIRECTORY));
        }
        // By uid, not by name: a container may run under a uid with no user name.
        Object me = processUid();
        Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (me != null && !me.equals(owner)) {
            throw new IllegalStateException("gateway-backup.restore.upload-directory " + directory + " belongs to uid "
                    + owner + ", not to this service's uid " + me + "; point it at a directory only this service uses");
        }
        Files.setPosixFilePermissions(directory, PRIVATE_DIRECTORY);
        // Leftovers of a previous process (killed mid-request) are nobody's files now.
        try (var files = Files.list(directory)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    Log.warnf("spool: cannot delete leftover %s", file.getFileName());
                }
            });
        }
    }

    /** The uid this process runs as (Linux), or null where /proc is missing. */
    private static Object processUid() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    public Path directory() {
        return directory;
    }

    /** A new empty file, readable by the service only. Blocking. */
    public Path newFile(String prefix) throws IOException {
        return Files.createTempFile(directory, prefix, ".tmp", asAttribute(PRIVATE_FILE));
    }

    /** Takes {@code bytes} of the spool cap; false (nothing taken) when that would pass it. */
    public boolean tryReserve(long bytes) {
        long now = used.addAndGet(bytes);
        if (now > maxTotal) {
            used.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Bytes of the spool cap not taken right now. */
    public long free() {
        return maxTotal - used.get();
    }

    /** The disk under the spool directory is full (ENOSPC), seen anywhere in the cause chain. */
    public static boolean noSpace(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e.getMessage() != null && e.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    public String diskFull() {
        return "The disk of the service's spool directory (gateway-backup.restore.upload-directory) is full; "
                + "nothing was restored. Give it more space, or lower gateway-backup.restore.spool-max-size to what it holds";
    }

    public String full() {
        return "The service's spool directory is full (gateway-backup.restore.spool-max-size = " + maxTotal
                + " bytes in use by uploads in progress); try again later";
    }

    /**
     * A gzip or age file (by its first bytes) decrypted, then decompressed if gzip, into a new spool
     * file; any other file as is. Stops with a {@link RestoreException} past the decompressed cap or
     * the spool cap, or when an age file cannot be opened (no identity file, wrong identity, damaged),
     * and with {@link Stopped} once {@code stopped} says the client went away; the partial file is
     * deleted. Blocking: call it on a worker thread. The caller deletes the returned file if it is new.
     */
    public Path plain(Path file, BooleanSupplier stopped) throws IOException {
        byte[] head = new byte[AgeEncryption.headerLength()];
        int headLength;
        try (InputStream in = Files.newInputStream(file)) {
            headLength = in.readNBytes(head, 0, head.length);
        }
        boolean age = AgeEncryption.isAge(head, headLength);
        if (!age && !isGzip(head, headLength)) {
            return file;
        }
        Path plain = newFile("restore-");
        long written = 0;
        boolean done = false;
        byte[] chunk = new byte[64 * 1024];
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
                InputStream in = decoded(raw, age, head, headLength);
                OutputStream out = Files.newOutputStream(plain)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (stopped.getAsBoolean()) {
                    throw new Stopped();
                }
                if (written + n > maxDecompressed) {
                    throw new RestoreException("The file decompresses to more than the limit of " + maxDecompressed
                            + " bytes (gateway-backup.restore.max-decompressed-size)");
                }
                if (!tryReserve(n)) {
                    throw new RestoreException(full());
                }
                written += n;
                out.write(chunk, 0, n);
            }
            done = true;
        } catch (EncryptionException e) {
            throw new RestoreException(e.getMessage());
        } catch (IOException e) {
            if (noSpace(e)) {
                throw e; // the disk is full, not the file bad: answered as such by the caller
            }
            throw new RestoreException(age
                    ? "The age-encrypted file is damaged or cut short: its content does not authenticate (" + e.getClass().getSimpleName() + ")"
                    : "The file starts like gzip but does not decompress: " + e.getMessage());
        } finally {
            if (!done) {
                Files.deleteIfExists(plain);
                release(written);
            }
        }
        // Counted against the spool cap until the caller deletes it with delete().
        return plain;
    }

    /** The plain bytes of {@code raw}: decrypted when age, then gunzipped when (the decrypted bytes are) gzip. */
    private InputStream decoded(InputStream raw, boolean age, byte[] head, int headLength) throws IOException {
        InputStream in = raw;
        boolean gzip = isGzip(head, headLength);
        if (age) {
            in = new BufferedInputStream(AgeEncryption.decrypting(raw, identityFile), 64 * 1024);
            in.mark(2);
            byte[] inner = in.readNBytes(2);
            in.reset();
            gzip = isGzip(inner, inner.length);
        }
        return gzip ? new GZIPInputStream(in, 64 * 1024) : in;
    }

    private static boolean isGzip(byte[] head, int length) {
        return length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /**
     * Copies a stream (a file read from a storage) into a new spool file, within the spool cap;
     * on failure nothing is left. Blocking. The caller deletes the file with {@link #delete(Path)}.
     */
    public Path copyIn(InputStream in, String prefix) throws IOException {
        Path file = newFile(prefix);
        long written = 0;
        boolean done = false;
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (!tryReserve(n)) {
                    throw new RestoreException(full());
                }
                written += n;
                out.write(chunk, 0, n);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(file);
                release(written);
            }
        }
        return file;
    }

    /** Deletes a spool file and gives its bytes back to the cap. Blocking. */
    public void delete(Path file) {
        try {
            long size = Files.size(file);
            if (Files.deleteIfExists(file)) {
                release(size);
            }
        } catch (IOException e) {
            // Already gone.
        }
    }

    /** The client went away: the work stopped and left nothing behind. */
    public static final class Stopped extends RuntimeException {
        public Stopped() {
            super("the client closed the connection", null, false, false);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> asAttribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
