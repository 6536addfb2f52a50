package gateway.backup.storage;

import gateway.backup.domain.DataStorage;
import gateway.backup.storage.fs.FsStorage;
import gateway.backup.storage.s3.S3Storage;
import gateway.backup.storage.webdav.WebDavStorage;

/** Opens the storage a {@code data_storages} row describes, by its type. */
public final class Storages {

    private Storages() {
    }

    /** The storage for a live, active row of a type this service can write to. */
    public static BackupStorage open(DataStorage row) throws StorageException {
        String label = "Data storage " + row.id + " (\"" + row.name + "\")";
        if (row.deletedAt != 0 || !"active".equals(row.status)) {
            throw new StorageException(label + " is " + (row.deletedAt != 0 ? "deleted" : row.status)
                    + "; choose an active storage");
        }
        try {
            return switch (row.type == null ? "" : row.type) {
                case "fs" -> FsStorage.fromSettings(row.settings);
                case "s3" -> S3Storage.fromSettings(row.settings);
                case "webdav" -> WebDavStorage.fromSettings(row.settings);
                case "database" -> throw new StorageException("it has type database, which keeps no files; "
                        + "choose an fs, s3 or webdav storage");
                default -> throw new StorageException("it has type " + row.type
                        + ", which this service cannot write to yet; choose an fs, s3 or webdav storage");
            };
        } catch (StorageException e) {
            throw new StorageException(label + ": " + e.getMessage());
        }
    }
}
