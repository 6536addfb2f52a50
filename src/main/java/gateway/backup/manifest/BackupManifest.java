package gateway.backup.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import gateway.backup.backup.BackupOptions;
import gateway.backup.backup.BackupService;
import gateway.backup.format.BackupFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <name>.manifest.json}, beside a stored backup: the manifest's format version, the backup's
 * snapshot time, the options it was made with, rows per section, its stored size, SHA-256 and CRC32C (of
 * the stored bytes: compressed and encrypted as they are), the age recipients' public keys, and for
 * an incremental backup the file it builds on and its usage watermark. Never holds a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(
        @JsonProperty("manifest_version") int manifestVersion,
        @JsonProperty("name") String name,
        @JsonProperty("format_version") String formatVersion,
        @JsonProperty("snapshot_time") String snapshotTime,
        @JsonProperty("options") Map<String, Boolean> options,
        @JsonProperty("rows") Map<String, Long> rows,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("crc32c") String crc32c,
        @JsonProperty("gzip") boolean gzip,
        @JsonProperty("encryption_recipients") List<String> encryptionRecipients,
        @JsonProperty("mode") String mode,
        @JsonProperty("base") String base,
        @JsonProperty("watermark") Watermark watermark) {

    public static final int VERSION = 1;
    public static final String SUFFIX = ".manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A manifest for a backup just written. */
    public static BackupManifest of(String name, Map<String, Boolean> options, BackupService.BackupSummary summary,
            boolean gzip, List<String> recipients, String base) {
        BackupService.Usage usage = summary.usage();
        Watermark watermark = usage == null ? null : new Watermark(usage.watermark().maxRequestId(),
                usage.watermark().maxLogId(), usage.watermark().snapshotXmax(), usage.watermark().inProgress(),
                base == null ? null : usage.requestsAfter(), base == null ? null : usage.logsAfter());
        return new BackupManifest(VERSION, name, BackupFormat.VERSION, summary.timestamp(), options, summary.rows(),
                summary.bytes(), summary.sha256(), crc32cHex(summary.crc32c()), gzip, recipients, base == null ? "full" : "incremental", base, watermark);
    }

    /** A CRC32C as 8 lowercase hex digits. */
    public static String crc32cHex(long crc32c) {
        return String.format("%08x", crc32c);
    }

    /** Backup options by their GraphQL names. */
    public static Map<String, Boolean> options(BackupOptions o) {
        Map<String, Boolean> options = new LinkedHashMap<>();
        options.put("includeProjects", o.includeProjects());
        options.put("includeChannels", o.includeChannels());
        options.put("includeModels", o.includeModels());
        options.put("includeModelPrices", o.includeModelPrices());
        options.put("includeAPIKeys", o.includeAPIKeys());
        options.put("includeUsageStats", o.includeUsageStats());
        options.put("includeRequestLogs", o.includeRequestLogs());
        return options;
    }

    /** The manifest's name for a backup's name. */
    public static String nameFor(String backupName) {
        return backupName + SUFFIX;
    }

    public static boolean isManifest(String name) {
        return name.endsWith(SUFFIX);
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toJsonString() {
        return new String(toJson(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Reads a manifest; unknown keys (a newer manifest) are ignored. */
    public static BackupManifest read(InputStream in) throws IOException {
        return JSON.readValue(in, BackupManifest.class);
    }

    /**
     * Where this backup's usage rows end (largest ids, the snapshot's xmax and in-progress
     * transactions: see backup/UsageWatermark), and for an incremental the ids after which it read
     * requests and logs (below the previous file's largest ids when late commits were found).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Watermark(
            @JsonProperty("max_request_id") long maxRequestId,
            @JsonProperty("max_log_id") long maxLogId,
            @JsonProperty("snapshot_xmax") long snapshotXmax,
            @JsonProperty("in_progress") List<Long> inProgress,
            @JsonProperty("requests_after") Long requestsAfter,
            @JsonProperty("logs_after") Long logsAfter) {
    }
}
