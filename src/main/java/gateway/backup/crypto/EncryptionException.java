package gateway.backup.crypto;

/** Encryption settings or an encrypted file that cannot be used; the message never holds key material. */
public class EncryptionException extends RuntimeException {

    public EncryptionException(String message) {
        super(message);
    }
}
