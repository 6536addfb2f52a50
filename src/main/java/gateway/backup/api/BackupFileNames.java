package gateway.backup.api;

import gateway.backup.storage.StorageException;
import gateway.backup.storage.StorageNames;
import java.util.regex.Pattern;

/**
 * Which files of a storage are backups: {@code <prefix>yyyy-MM-dd_HH-mm-ss} then {@code .json} or
 * {@code .json.gz}, optionally {@code .age} (the auto-backup's names, prefix from
 * {@code gateway-backup.auto-backup.file-prefix}). Temp files, manifests and anything else in the
 * folder are not backups: not listed, not restored, not deleted.
 */
final class BackupFileNames {

    private static final Pattern AFTER_PREFIX = Pattern.compile("\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.json(\\.gz)?(\\.age)?");

    private final String prefix;

    BackupFileNames(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    boolean isBackup(String name) {
        return name != null && name.startsWith(prefix) && AFTER_PREFIX.matcher(name.substring(prefix.length())).matches();
    }

    /** The name when it is a plain file name of a backup; otherwise an error saying what a name must look like. */
    String require(String name, int dataStorageId) throws StorageException {
        String storage = "data storage " + dataStorageId;
        StorageNames.requireFileName(name, storage);
        if (!isBackup(name)) {
            throw new StorageException("\"" + name + "\" is not a backup file of " + storage + ": backup files are named "
                    + prefix + "YYYY-MM-DD_HH-MM-SS.json (or .json.gz); backupFiles lists them");
        }
        return name;
    }

    /** The HTTP content type of a backup file, by its ending. */
    static String contentType(String name) {
        if (name.endsWith(".age")) {
            return "application/octet-stream";
        }
        return name.endsWith(".gz") ? "application/gzip" : "application/json";
    }
}
