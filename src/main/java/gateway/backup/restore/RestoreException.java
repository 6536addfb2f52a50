package gateway.backup.restore;

/**
 * A restore that cannot go on: bad input (invalid JSON, wrong version, wrong types), a
 * conflict under strategy error, a file too large. The message names what is wrong and
 * where, and never contains a secret. Nothing has been written when it is thrown.
 */
public class RestoreException extends RuntimeException {

    public RestoreException(String message) {
        super(message);
    }

    public RestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
