package gateway.backup.backup;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;

/** Where a backup file goes, chunk by chunk: an HTTP response, memory, a file, an object store. */
public interface BackupSink {

    /** Takes the next chunk; completes when the sink can take more (backpressure). */
    Uni<Void> write(Buffer chunk);
}
