package gateway.backup.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A pending file that is its own output stream, for storages that upload while the caller writes:
 * counts the bytes, and refuses writes and a second complete once the file is complete or aborted.
 */
public abstract class UploadStream extends OutputStream implements BackupStorage.PendingFile {

    protected final String name;
    private final String storage;
    /** Bytes the storage took, compared with what it kept on complete. */
    protected long written;
    protected boolean finished;

    /** {@code storage}: the storage's description, for messages. */
    protected UploadStream(String name, String storage) {
        this.name = name;
        this.storage = storage;
    }

    /** Hands bytes to the storage; throws a {@link StorageException} that names the file when it cannot. */
    protected abstract void upload(byte[] bytes, int offset, int length) throws IOException;

    @Override
    public OutputStream out() {
        return this;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkNotFinished();
        upload(bytes, offset, length);
        written += length;
    }

    /** The first step of complete(): a file completes once. */
    protected void finishOnce() throws StorageException {
        checkNotFinished();
        finished = true;
    }

    private void checkNotFinished() throws StorageException {
        if (finished) {
            throw new StorageException(storage + ": " + name + " is already complete or aborted");
        }
    }
}
