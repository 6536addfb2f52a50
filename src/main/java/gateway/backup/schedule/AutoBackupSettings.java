package gateway.backup.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.backup.BackupOptions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's {@code system_auto_backup_settings} JSON (README, Auto-backup: keys and defaults), snake_case keys.
 * Absent keys read as their defaults; an older value without {@code include_usage_stats} or
 * {@code include_request_logs} reads them as off. Writing puts these keys into the stored object
 * and keeps every other key, so fields of a newer gateway survive. This service adds
 * {@code encryption_recipients} (age public keys), {@code mode} (full|incremental) and
 * {@code full_every_days}; absent, every run is a plain full backup as before.
 */
public record AutoBackupSettings(
        boolean enabled,
        BackupFrequency frequency,
        long dataStorageId,
        boolean includeChannels,
        boolean includeModels,
        boolean includeApiKeys,
        boolean includeModelPrices,
        boolean includeUsageStats,
        boolean includeRequestLogs,
        int retentionDays,
        Instant lastBackupAt,
        String lastBackupError,
        List<String> encryptionRecipients,
        BackupMode mode,
        int fullEveryDays) {

    static final ObjectMapper JSON = new ObjectMapper();

    public static final AutoBackupSettings DEFAULTS = new AutoBackupSettings(false, BackupFrequency.daily, 0, true, true,
            false, true, false, false, 30, null, null, List.of(), BackupMode.full, 7);

    /** Reads a stored value; null or blank gives the defaults. A value that is not a JSON object is refused. */
    public static AutoBackupSettings fromJson(String stored) {
        return fromJson(parse(stored));
    }

    static AutoBackupSettings fromJson(ObjectNode json) {
        AutoBackupSettings d = DEFAULTS;
        return new AutoBackupSettings(
                json.path("enabled").asBoolean(d.enabled),
                frequency(json.path("frequency").asText("")),
                json.path("data_storage_id").asLong(d.dataStorageId),
                json.path("include_channels").asBoolean(d.includeChannels),
                json.path("include_models").asBoolean(d.includeModels),
                json.path("include_api_keys").asBoolean(d.includeApiKeys),
                json.path("include_model_prices").asBoolean(d.includeModelPrices),
                json.path("include_usage_stats").asBoolean(d.includeUsageStats),
                json.path("include_request_logs").asBoolean(d.includeRequestLogs),
                json.path("retention_days").asInt(d.retentionDays),
                time(json.path("last_backup_at").asText("")),
                json.path("last_backup_error").asText("").isEmpty() ? null : json.path("last_backup_error").asText(),
                recipients(json.path("encryption_recipients")),
                "incremental".equalsIgnoreCase(json.path("mode").asText("")) ? BackupMode.incremental : BackupMode.full,
                Math.max(1, json.path("full_every_days").asInt(d.fullEveryDays)));
    }

    /** Recipients as a JSON array of strings, or one comma-separated string. */
    private static List<String> recipients(JsonNode node) {
        List<String> keys = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(key -> keys.add(key.asText()));
        } else if (node.isTextual()) {
            keys.addAll(List.of(node.asText().split(",")));
        }
        return keys.stream().map(String::trim).filter(key -> !key.isEmpty()).toList();
    }

    /** The stored value as an object; null, blank or JSON null is an empty object. */
    static ObjectNode parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(stored);
            if (node == null || node.isNull()) {
                return JSON.createObjectNode();
            }
            if (!node.isObject()) {
                throw new IllegalStateException("The stored system_auto_backup_settings is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored system_auto_backup_settings is not valid JSON", e);
        }
    }

    /** Puts the settings' own keys into {@code json}, leaving every other key (and the last-run keys) as it is. */
    ObjectNode writeInto(ObjectNode json) {
        json.put("enabled", enabled);
        json.put("frequency", frequency.name());
        json.put("data_storage_id", dataStorageId);
        json.put("include_channels", includeChannels);
        json.put("include_models", includeModels);
        json.put("include_api_keys", includeApiKeys);
        json.put("include_model_prices", includeModelPrices);
        json.put("include_usage_stats", includeUsageStats);
        json.put("include_request_logs", includeRequestLogs);
        json.put("retention_days", retentionDays);
        ArrayNode keys = json.putArray("encryption_recipients");
        encryptionRecipients.forEach(keys::add);
        json.put("mode", mode.name());
        json.put("full_every_days", fullEveryDays);
        return json;
    }

    /** Applies a partial update: null fields keep their value. */
    public AutoBackupSettings with(Update u) {
        return new AutoBackupSettings(
                u.enabled() != null ? u.enabled() : enabled,
                u.frequency() != null ? u.frequency() : frequency,
                u.dataStorageId() != null ? u.dataStorageId() : dataStorageId,
                u.includeChannels() != null ? u.includeChannels() : includeChannels,
                u.includeModels() != null ? u.includeModels() : includeModels,
                u.includeApiKeys() != null ? u.includeApiKeys() : includeApiKeys,
                u.includeModelPrices() != null ? u.includeModelPrices() : includeModelPrices,
                u.includeUsageStats() != null ? u.includeUsageStats() : includeUsageStats,
                u.includeRequestLogs() != null ? u.includeRequestLogs() : includeRequestLogs,
                u.retentionDays() != null ? u.retentionDays() : retentionDays,
                lastBackupAt, lastBackupError,
                u.encryptionRecipients() != null ? List.copyOf(u.encryptionRecipients()) : encryptionRecipients,
                u.mode() != null ? u.mode() : mode,
                u.fullEveryDays() != null ? u.fullEveryDays() : fullEveryDays);
    }

    /** What the file contains; projects are always in it (API keys and usage refer to them by name). */
    public BackupOptions backupOptions() {
        return new BackupOptions(true, includeChannels, includeModels, includeModelPrices, includeApiKeys,
                includeUsageStats, includeRequestLogs);
    }

    /** A partial update (GraphQL UpdateAutoBackupSettingsInput): null means unchanged. */
    public record Update(Boolean enabled, BackupFrequency frequency, Long dataStorageId, Boolean includeChannels,
            Boolean includeModels, Boolean includeApiKeys, Boolean includeModelPrices, Boolean includeUsageStats,
            Boolean includeRequestLogs, Integer retentionDays, List<String> encryptionRecipients, BackupMode mode,
            Integer fullEveryDays) {

        public Update(Boolean enabled, BackupFrequency frequency, Long dataStorageId, Boolean includeChannels,
                Boolean includeModels, Boolean includeApiKeys, Boolean includeModelPrices, Boolean includeUsageStats,
                Boolean includeRequestLogs, Integer retentionDays) {
            this(enabled, frequency, dataStorageId, includeChannels, includeModels, includeApiKeys, includeModelPrices,
                    includeUsageStats, includeRequestLogs, retentionDays, null, null, null);
        }
    }

    /** Every run full, or a full run every {@code full_every_days} days with incremental runs between. */
    public enum BackupMode {
        full, incremental
    }

    private static BackupFrequency frequency(String value) {
        for (BackupFrequency f : BackupFrequency.values()) {
            if (f.name().equalsIgnoreCase(value)) {
                return f;
            }
        }
        return DEFAULTS.frequency;
    }

    /** RFC 3339 as the gateway writes it; Go's zero time and anything unreadable mean never. */
    private static Instant time(String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(value).toInstant();
            return at.getEpochSecond() <= 0 ? null : at;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
