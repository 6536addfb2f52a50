package gateway.backup.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests, as lowercase hex like {@code sha256sum} prints them. */
public final class Sha256 {

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Size and SHA-256 of a stream read to its end (64 KiB at a time). Blocking. */
    public static Digest of(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] chunk = new byte[64 * 1024];
        long size = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            digest.update(chunk, 0, n);
            size += n;
        }
        return new Digest(size, HexFormat.of().formatHex(digest.digest()));
    }

    public record Digest(long size, String sha256) {
    }
}
