package gateway.backup.storage;

import java.io.IOException;

/**
 * A storage problem with a message fit for an operator: it names the storage and what failed,
 * never a key, a password or a credential.
 */
public class StorageException extends IOException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
