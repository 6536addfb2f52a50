package gateway.backup.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Files uploaded by the request in flight, by opaque token; each lives only as long as its request. */
@ApplicationScoped
public class UploadRegistry {

    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Map<String, Path> originals = new ConcurrentHashMap<>();

    /** {@code file}: the plain (decrypted, decompressed) file; {@code original}: the bytes as uploaded. */
    String register(Path file, Path original) {
        String token = "upload-" + UUID.randomUUID();
        files.put(token, file);
        originals.put(token, original);
        return token;
    }

    void forget(String token) {
        files.remove(token);
        originals.remove(token);
    }

    /** The file as uploaded (verify checksums those bytes). */
    Optional<Path> original(Upload upload) {
        return upload == null ? Optional.empty() : Optional.ofNullable(originals.get(upload.token()));
    }

    Optional<Path> file(Upload upload) {
        return upload == null ? Optional.empty() : Optional.ofNullable(files.get(upload.token()));
    }
}
