package gateway.backup.restore;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

// SKELETON: the restore work replaces the body; the signature is the contract the API uses.
@ApplicationScoped
public class RestoreService {

    /**
     * Restores a backup file (plain or gzip) from disk in one transaction. Fails with a
     * {@link RestoreException} for bad input or a conflict under strategy error.
     */
    public Uni<RestoreReport> restore(Path file, RestoreOptions options) {
        return Uni.createFrom().failure(new UnsupportedOperationException("restore is not built yet"));
    }
}
