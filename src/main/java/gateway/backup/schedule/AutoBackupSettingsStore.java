package gateway.backup.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.domain.DataStorage;
import gateway.backup.domain.SystemSetting;
import gateway.backup.storage.StorageException;
import java.io.UncheckedIOException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;

/**
 * Reads and writes the auto-backup settings and the gateway's timezone in {@code systems}, and
 * finds the chosen storage. Plain SQL on the reactive pool: updates touch only their own keys of
 * the stored JSON, so a settings change and a run's result never overwrite each other.
 */
@ApplicationScoped
public class AutoBackupSettingsStore {

    private static final String SELECT = "select value from systems where key = $1 and deleted_at = 0";
    /** A soft-deleted row counts as absent: it is revived with the new value alone. */
    private static final String MERGE = "insert into systems (key, value) values ($1, $2) on conflict (key) do update "
            + "set value = case when systems.deleted_at = 0 and coalesce(systems.value, '') <> '' "
            + "then (systems.value::jsonb || excluded.value::jsonb)::text else excluded.value end, "
            + "deleted_at = 0, updated_at = now()";

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
            return check.chain(() -> tx.preparedQuery(MERGE)
                    .execute(Tuple.of(SystemSetting.AUTO_BACKUP_SETTINGS, updated.writeInto(json).toString())))
                    .replaceWith(updated);
        }));
    }

    /** Records an attempt's time and error (null when it succeeded), touching only those two keys. */
    public Uni<Void> recordAttempt(Instant at, String error) {
        ObjectNode patch = AutoBackupSettings.JSON.createObjectNode();
        patch.put("last_backup_at", at.toString());
        patch.put("last_backup_error", error == null ? "" : error);
        return pool.preparedQuery(MERGE).execute(Tuple.of(SystemSetting.AUTO_BACKUP_SETTINGS, patch.toString()))
                .replaceWithVoid();
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
        return pool.preparedQuery("select id, name, type, status, deleted_at, settings::text from data_storages where id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        throw new UncheckedIOException(new StorageException("Data storage " + id + " does not exist; choose an active fs, s3, webdav or gcs data storage"));
                    }
                    Row row = it.next();
                    DataStorage storage = new DataStorage();
                    storage.id = row.getLong("id");
                    storage.name = row.getString("name");
                    storage.type = row.getString("type");
                    storage.status = row.getString("status");
                    storage.deletedAt = row.getLong("deleted_at");
                    try {
                        String settings = row.getString("settings");
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
        return client.preparedQuery("select name, type, status, deleted_at from data_storages where id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    if (!it.hasNext() || it.next().getLong("deleted_at") != 0) {
                        return "data storage " + id + " does not exist; choose an active fs, s3, webdav or gcs data storage";
                    }
                    Row row = rows.iterator().next();
                    String label = "data storage " + id + " (\"" + row.getString("name") + "\")";
                    if (!FILE_STORAGE_TYPES.contains(row.getString("type"))) {
                        return label + " has type " + row.getString("type") + "; auto-backup writes to fs, s3, webdav or gcs storages only";
                    }
                    if (!"active".equals(row.getString("status"))) {
                        return label + " is " + row.getString("status") + "; choose an active storage";
                    }
                    return null;
                });
    }

    private static Uni<String> value(SqlClient client, String key, boolean forUpdate) {
        return client.preparedQuery(SELECT + (forUpdate ? " for update" : "")).execute(Tuple.of(key))
                .map(AutoBackupSettingsStore::firstValue);
    }

    private static String firstValue(RowSet<Row> rows) {
        Iterator<Row> it = rows.iterator();
        return it.hasNext() ? it.next().getString("value") : null;
    }

    /** Settings a caller asked for that cannot work; the message says what and how to fix it. */
    public static final class InvalidSettingsException extends RuntimeException {
        InvalidSettingsException(String message) {
            super(message);
        }
    }
}
