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

    String register(Path file) {
        String token = "upload-" + UUID.randomUUID();
        files.put(token, file);
        return token;
    }

    void forget(String token) {
        files.remove(token);
    }

    Optional<Path> file(Upload upload) {
        return upload == null ? Optional.empty() : Optional.ofNullable(files.get(upload.token()));
    }
}
