package gateway.backup.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams into and out of the age format. Encrypting needs only public keys; decrypting reads the
 * identity file each time (a rotated Secret is picked up without a restart) and keeps the keys no
 * longer than the decrypting stream.
 */
public final class AgeEncryption {

    /** The first line of every binary age file. */
    public static final String HEADER = "age-encryption.org/v1";
    private static final byte[] HEADER_BYTES = HEADER.getBytes(StandardCharsets.US_ASCII);

    private AgeEncryption() {
    }

    /** Whether {@code head} (the first bytes of a file) starts like an age file. */
    public static boolean isAge(byte[] head, int length) {
        return length >= HEADER_BYTES.length
                && Arrays.equals(head, 0, HEADER_BYTES.length, HEADER_BYTES, 0, HEADER_BYTES.length);
    }

    public static int headerLength() {
        return HEADER_BYTES.length;
    }

    /**
     * Checks public keys and trims them; a bad one is named (public keys are not secret), so an
     * operator sees which setting to fix.
     */
    public static List<String> recipients(List<String> keys) {
        List<String> recipients = new ArrayList<>();
        for (String key : keys) {
            String trimmed = key.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(trimmed);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new EncryptionException("\"" + trimmed + "\" is not an age X25519 public key (age1...; make one with age-keygen)");
            }
            recipients.add(trimmed);
        }
        return List.copyOf(recipients);
    }

    /**
     * Bytes written to the returned stream reach {@code out} encrypted to every recipient; closing
     * it writes the last chunk and closes {@code out}. {@code flush} passes on whole 64 KiB chunks only.
     */
    public static OutputStream encrypting(OutputStream out, List<String> recipients) throws IOException {
        if (recipients.isEmpty()) {
            throw new EncryptionException("No age recipients to encrypt to");
        }
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        try {
            for (String recipient : recipients) {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient));
            }
            return Channels.newOutputStream(new StandardEncryptingChannelFactory()
                    .newEncryptingChannel(Channels.newChannel(out), writers));
        } catch (GeneralSecurityException e) {
            throw new EncryptionException("Cannot encrypt to the configured age recipients: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The plain bytes of an age file read from {@code in}, with the identities in {@code identityFile}.
     * Fails with an {@link EncryptionException} (no key material in its message) when there is no
     * identity file, none of its identities opens the file, or the file is damaged.
     */
    public static InputStream decrypting(InputStream in, Path identityFile) throws IOException {
        List<RecipientStanzaReader> readers = identities(identityFile);
        try {
            return Channels.newInputStream(new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(Channels.newChannel(in), readers));
        } catch (GeneralSecurityException e) {
            throw new EncryptionException("The file is age-encrypted, but no identity in the identity file "
                    + "(GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE) opens it: it was encrypted to other recipients");
        } catch (IOException e) {
            throw new EncryptionException("The file starts like an age file but its header is damaged ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The identities of an age identity file: AGE-SECRET-KEY-1 lines; # comments and blank lines skipped. */
    static List<RecipientStanzaReader> identities(Path identityFile) throws IOException {
        if (identityFile == null) {
            throw new EncryptionException("The file is age-encrypted and no identity file is configured: set "
                    + "GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE to a file holding the AGE-SECRET-KEY-1... line (e.g. a mounted Secret)");
        }
        if (!Files.isReadable(identityFile)) {
            throw new EncryptionException("The file is age-encrypted, but the identity file " + identityFile
                    + " (GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE) cannot be read");
        }
        List<RecipientStanzaReader> readers = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(identityFile, StandardCharsets.US_ASCII)) {
            lineNumber++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(trimmed));
            } catch (GeneralSecurityException | RuntimeException e) {
                // The line itself is never echoed: it may be a damaged secret key.
                throw new EncryptionException("Line " + lineNumber + " of the identity file " + identityFile
                        + " is not an age X25519 identity (AGE-SECRET-KEY-1...)");
            }
        }
        if (readers.isEmpty()) {
            throw new EncryptionException("The identity file " + identityFile + " holds no AGE-SECRET-KEY-1... identity");
        }
        return readers;
    }
}
