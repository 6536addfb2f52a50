package gateway.backup.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.domain.DataStorage;
import gateway.backup.domain.DataStorageRows;
import gateway.backup.domain.SystemSetting;
import gateway.backup.domain.SystemSettingRows;
import gateway.backup.storage.StorageException;
import java.io.UncheckedIOException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Reads and writes the auto-backup settings and the gateway's timezone in {@code systems}, and
 * finds the chosen storage, on the reactive pool (SQL: domain.SystemSettingRows, domain.DataStorageRows):
 * updates touch only their own keys of the stored JSON, so a settings change and a run's result never
 * overwrite each other.
 */
@ApplicationScoped
public class AutoBackupSettingsStore {

    private final Pool pool;
    private final ZoneId fallbackZone;

    AutoBackupSettingsStore(Pool pool, GatewayBackupConfig config) {
        this.pool = pool;
        this.fallbackZone = ZoneId.of(config.autoBackup().timezone());
    }

    public Uni<AutoBackupSettings> read() {
        return value(pool, SystemSetting.AUTO_BACKUP_SETTINGS, false).map(AutoBackupSettings::fromJson);
    }

    /**
     * Applies a partial update and saves it, in one transaction holding the row. Refused, with
     * nothing saved, when retention is negative or when enabled without an active fs, s3, webdav or gcs storage.
     */
    public Uni<AutoBackupSettings> update(AutoBackupSettings.Update update) {
        return pool.withTransaction(tx -> value(tx, SystemSetting.AUTO_BACKUP_SETTINGS, true).chain(stored -> {
            ObjectNode json = AutoBackupSettings.parse(stored);
            AutoBackupSettings updated = AutoBackupSettings.fromJson(json).with(update);
            if (updated.retentionDays() < 0) {
                return Uni.createFrom().failure(new InvalidSettingsException("retentionDays must be 0 (keep every "
                        + "backup) or more; got " + updated.retentionDays() + ". Nothing was saved."));
            }
            Uni<Void> check = updated.enabled()
                    ? usableStorage(tx, updated.dataStorageId()).map(problem -> {
                        if (problem != null) {
                            throw new InvalidSettingsException("Cannot enable auto-backup: " + problem + ". Nothing was saved.");
                        }
                        return null;
                    })
                    : Uni.createFrom().voidItem();
            return check.chain(() -> SystemSettingRows.merge(tx, SystemSetting.AUTO_BACKUP_SETTINGS,
                    updated.writeInto(json).toString())).replaceWith(updated);
        }));
    }

    /** Records an attempt's time and error (null when it succeeded), touching only those two keys. */
    public Uni<Void> recordAttempt(Instant at, String error) {
        ObjectNode patch = AutoBackupSettings.JSON.createObjectNode();
        patch.put("last_backup_at", at.toString());
        patch.put("last_backup_error", error == null ? "" : error);
        return SystemSettingRows.merge(pool, SystemSetting.AUTO_BACKUP_SETTINGS, patch.toString());
    }

    /** The schedule's timezone: system_general_settings.timezone, else the configured one (UTC by default). */
    public Uni<ZoneId> timezone() {
        return value(pool, SystemSetting.GENERAL_SETTINGS, false).map(stored -> {
            String name = "";
            try {
                JsonNode json = AutoBackupSettings.JSON.readTree(stored == null ? "{}" : stored);
                name = json == null ? "" : json.path("timezone").asText("");
                return name.isBlank() ? fallbackZone : ZoneId.of(name);
            } catch (DateTimeException | java.io.IOException e) {
                Log.warnf("auto-backup: system_general_settings has no usable timezone (%s); using %s", name, fallbackZone);
                return fallbackZone;
            }
        });
    }

    /** Null when the storage is a live, active fs, s3, webdav or gcs one; otherwise what is wrong with it, for the operator. */
    public Uni<String> usableStorage(long id) {
        return usableStorage(pool, id);
    }

    /** The storage row, with its settings (secrets: never log them). */
    public Uni<DataStorage> storage(long id) {
        return DataStorageRows.full(pool, id).map(row -> {
            if (row == null) {
                throw new UncheckedIOException(new StorageException("Data storage " + id + " does not exist; choose an active fs, s3, webdav or gcs data storage"));
            }
            DataStorage storage = new DataStorage();
            storage.id = row.id();
            storage.name = row.name();
            storage.type = row.type();
            storage.status = row.status();
            storage.deletedAt = row.deletedAt();
            try {
                String settings = row.settings();
                storage.settings = settings == null ? null : AutoBackupSettings.JSON.readTree(settings);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(new StorageException("Data storage " + id + " has settings that are not JSON"));
            }
            return storage;
        });
    }

    /** The storage types that keep files (storage.Storages opens each); database keeps none. */
    static final java.util.Set<String> FILE_STORAGE_TYPES = java.util.Set.of("fs", "s3", "webdav", "gcs");

    private static Uni<String> usableStorage(SqlClient client, long id) {
        if (id <= 0) {
            return Uni.createFrom().item("no data storage is chosen; set dataStorageID to an active fs, s3, webdav or gcs data storage");
        }
        return DataStorageRows.summary(client, id).map(row -> {
            if (row == null || row.deletedAt() != 0) {
                return "data storage " + id + " does not exist; choose an active fs, s3, webdav or gcs data storage";
            }
            String label = "data storage " + id + " (\"" + row.name() + "\")";
            if (!FILE_STORAGE_TYPES.contains(row.type())) {
                return label + " has type " + row.type() + "; auto-backup writes to fs, s3, webdav or gcs storages only";
            }
            if (!"active".equals(row.status())) {
                return label + " is " + row.status() + "; choose an active storage";
            }
            return null;
        });
    }

    private static Uni<String> value(SqlClient client, String key, boolean forUpdate) {
        return SystemSettingRows.value(client, key, forUpdate);
    }

    /** Settings a caller asked for that cannot work; the message says what and how to fix it. */
    public static final class InvalidSettingsException extends RuntimeException {
        InvalidSettingsException(String message) {
            super(message);
        }
    }
}
