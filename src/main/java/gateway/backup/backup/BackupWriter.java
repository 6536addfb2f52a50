package gateway.backup.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import gateway.backup.crypto.AgeEncryption;
import gateway.backup.format.BackupFormat;
import gateway.backup.manifest.Sha256;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes a backup file with Jackson's streaming generator into a small in-memory chunk that
 * the caller takes after each batch ({@link #takeChunk()}), optionally gzip-compressed, then
 * optionally age-encrypted; the SHA-256 of the bytes handed out is computed on the way.
 * Rows arrive as JSON text and are appended unchanged.
 */
final class BackupWriter {

    private static final JsonFactory JSON = new JsonFactory();

    private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(64 * 1024);
    private final OutputStream out;
    private final JsonGenerator generator;
    private final MessageDigest sha256 = Sha256.newDigest();
    private long bytes;

    BackupWriter(boolean gzip, List<String> recipients) {
        try {
            // age encrypts whole 64 KiB chunks: a flush passes on only those, end() writes the rest.
            OutputStream encrypted = recipients.isEmpty() ? chunk : AgeEncryption.encrypting(chunk, recipients);
            // syncFlush: every takeChunk() yields bytes a reader can decompress up to that point.
            out = gzip ? new GZIPOutputStream(encrypted, 64 * 1024, true) : encrypted;
            generator = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void begin(String timestamp) throws IOException {
        generator.writeStartObject();
        generator.writeStringField(BackupFormat.KEY_VERSION, BackupFormat.VERSION);
        generator.writeStringField(BackupFormat.KEY_TIMESTAMP, timestamp);
    }

    void startSection(String name) throws IOException {
        generator.writeArrayFieldStart(name);
    }

    void rows(List<String> jsonRows) throws IOException {
        for (String row : jsonRows) {
            generator.writeRawValue(row);
        }
    }

    void endSection() throws IOException {
        generator.writeEndArray();
    }

    void end() throws IOException {
        generator.writeEndObject();
        generator.close();
    }

    /** What was encoded since the last call (compressed if gzip), leaving the writer empty. */
    Buffer takeChunk() throws IOException {
        if (!generator.isClosed()) {
            generator.flush();
            out.flush();
        }
        byte[] taken0 = chunk.toByteArray();
        sha256.update(taken0);
        Buffer taken = Buffer.buffer(taken0);
        bytes += chunk.size();
        chunk.reset();
        return taken;
    }

    /** SHA-256 (hex) of every byte handed out; call once, after the last chunk. */
    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Bytes handed out so far. */
    long bytes() {
        return bytes;
    }
}
