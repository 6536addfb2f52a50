package gateway.backup.storage;

import java.time.Instant;

/** A file in a storage: its name (no folder), size in bytes and last modification time. */
public record StoredFile(String name, long size, Instant modifiedAt) {
}
