package gateway.backup.backup;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.domain.ApiKeyRepository;
import gateway.backup.domain.BackupSnapshot;
import gateway.backup.domain.BatchLimit;
import gateway.backup.domain.ChannelModelPriceRepository;
import gateway.backup.domain.ChannelRepository;
import gateway.backup.domain.ModelRepository;
import gateway.backup.domain.ProjectRepository;
import gateway.backup.domain.UsageLogRepository;
import gateway.backup.domain.UsageRequestRepository;
import gateway.backup.format.BackupFormat;
import gateway.backup.job.JobProgress;
import gateway.backup.metrics.Stopwatch;
import gateway.backup.metrics.Timed;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Writes a backup file of a consistent snapshot to a sink, batch by batch. */
@ApplicationScoped
public class BackupService {

    private final ProjectRepository projects;
    private final ChannelRepository channels;
    private final ModelRepository models;
    private final ChannelModelPriceRepository prices;
    private final ApiKeyRepository apiKeys;
    private final UsageRequestRepository requests;
    private final UsageLogRepository usageLogs;
    private final MeterRegistry metrics;
    private final BatchLimit batchLimit;
    private final Clock clock;

    BackupService(ProjectRepository projects, ChannelRepository channels, ModelRepository models,
            ChannelModelPriceRepository prices, ApiKeyRepository apiKeys, UsageRequestRepository requests,
            UsageLogRepository usageLogs, MeterRegistry metrics, GatewayBackupConfig config) {
        this.projects = projects;
        this.channels = channels;
        this.models = models;
        this.prices = prices;
        this.apiKeys = apiKeys;
        this.requests = requests;
        this.usageLogs = usageLogs;
        this.metrics = metrics;
        this.batchLimit = config.backup().batchLimit();
        this.clock = Clock.systemUTC();
    }

    /** Rows written per section, the file's size (as written: compressed, encrypted), the SHA-256 (hex) and CRC32C of those bytes. */
    public record BackupSummary(Map<String, Long> rows, long bytes, String sha256, long crc32c, String timestamp, Usage usage) {
    }

    /**
     * The usage part of a backup: its snapshot's watermark (where the next incremental starts),
     * and for an incremental the ids after which it read requests and logs. Null without usage stats.
     */
    public record Usage(UsageWatermark watermark, long requestsAfter, long logsAfter) {
    }

    /**
     * Writes the file to the sink. If the sink fails (client gone, size limit), reading stops
     * and the transaction ends; the sink has then received part of a file.
     */
    public Uni<BackupSummary> backup(BackupOptions options, BackupSink sink, boolean gzip) {
        return backup(options, sink, gzip, List.of(), null, JobProgress.NONE);
    }

    /**
     * As above, age-encrypted to {@code recipients} (public keys) unless that is empty, telling
     * {@code progress} the section being written, rows as batches pass and bytes.
     */
    public Uni<BackupSummary> backup(BackupOptions options, BackupSink sink, boolean gzip, List<String> recipients,
            JobProgress progress) {
        return backup(options, sink, gzip, recipients, null, progress);
    }

    /**
     * As above; with {@code since} (the previous backup's watermark) an incremental file: every
     * configuration section in full, usage requests and logs only from where {@code since} ends.
     */
    public Uni<BackupSummary> backup(BackupOptions options, BackupSink sink, boolean gzip, List<String> recipients,
            UsageWatermark since, JobProgress progress) {
        BackupWriter writer = new BackupWriter(gzip, recipients);
        String timestamp = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
        Map<String, Long> rows = new LinkedHashMap<>();
        Uni<Usage> file = Panache.withTransaction(() -> Panache.getSession()
                // First statement of the transaction: the whole file reads one snapshot.
                .flatMap(s -> BackupSnapshot.begin(s)
                        .chain(() -> progress == JobProgress.NONE ? Uni.createFrom().voidItem()
                                : RowEstimate.report(s, options, progress)))
                .chain(() -> options.includeUsageStats() ? usage(since) : Uni.createFrom().<Usage>nullItem())
                // Usage sections start where the watermark says (everything for a full backup).
                .chain(usage -> write(sink, writer, () -> writer.begin(timestamp))
                    .chain(() -> section(sink, writer, rows, progress, BackupFormat.PROJECTS, options.includeProjects(),
                            () -> projects.streamBackupJson(batchLimit), false))
                    .chain(() -> section(sink, writer, rows, progress, BackupFormat.CHANNELS, options.includeChannels(),
                            () -> channels.streamBackupJson(batchLimit), true))
                    .chain(() -> section(sink, writer, rows, progress, BackupFormat.MODELS, options.includeModels(),
                            () -> models.streamBackupJson(batchLimit), true))
                    .chain(() -> section(sink, writer, rows, progress, BackupFormat.CHANNEL_MODEL_PRICES, options.includeModelPrices(),
                            () -> prices.streamBackupJson(batchLimit), false))
                    .chain(() -> section(sink, writer, rows, progress, BackupFormat.API_KEYS, options.includeAPIKeys(),
                            () -> apiKeys.streamBackupJson(batchLimit), false))
                    .chain(() -> section(sink, writer, rows, progress, BackupFormat.USAGE_REQUESTS, options.includeUsageStats(),
                            () -> requests.streamBackupJson(options.includeAPIKeys(), options.includeRequestLogs(), batchLimit,
                                    usage.requestsAfter()),
                            false))
                    .chain(() -> section(sink, writer, rows, progress, BackupFormat.USAGE_LOGS, options.includeUsageStats(),
                            () -> usageLogs.streamBackupJson(options.includeAPIKeys(), batchLimit, usage.logsAfter()), false))
                    .chain(() -> write(sink, writer, writer::end))
                    .map(written -> usage)));
        return Timed.timed(metrics, "backup", () -> file
                .map(usage -> new BackupSummary(rows, writer.bytes(), writer.sha256(), writer.crc32c(), timestamp, usage))
                .invoke(summary -> {
                    progress.bytes(summary.bytes());
                    metrics.counter("gateway.backup.backup.bytes").increment(summary.bytes());
                }),
                summary -> "done, " + summary.rows() + ", " + summary.bytes() + " bytes" + (gzip ? " (gzip)" : "")
                        + (recipients.isEmpty() ? "" : " (age)"),
                failure -> "stopped after " + rows + ", " + writer.bytes() + " bytes: " + failure.getMessage());
    }

    /** This snapshot's watermark, and where the usage sections start (everything for a full backup). */
    private static Uni<Usage> usage(UsageWatermark since) {
        return UsageWatermark.ofCurrentSnapshot().chain(now -> since == null
                ? Uni.createFrom().item(new Usage(now, Long.MIN_VALUE, Long.MIN_VALUE))
                : since.requestsStartAfter().chain(requestsAfter -> since.logsStartAfter()
                        .map(logsAfter -> new Usage(now, requestsAfter, logsAfter))));
    }

    /** One section: omitted when not included, except those the format always has. */
    private Uni<Void> section(BackupSink sink, BackupWriter writer, Map<String, Long> rows, JobProgress progress, String name,
            boolean included, Supplier<Multi<List<byte[]>>> batches, boolean alwaysPresent) {
        if (!included) {
            return alwaysPresent ? write(sink, writer, () -> {
                writer.startSection(name);
                writer.endSection();
            }) : Uni.createFrom().voidItem();
        }
        Stopwatch stopwatch = Stopwatch.start();
        rows.put(name, 0L);
        progress.phase(name);
        return write(sink, writer, () -> writer.startSection(name))
                .chain(() -> batches.get()
                        .onItem().transformToUniAndConcatenate(batch -> write(sink, writer, () -> writer.rows(batch))
                                .invoke(() -> {
                                    rows.merge(name, (long) batch.size(), Long::sum);
                                    progress.rows(batch.size());
                                    progress.bytes(writer.bytes());
                                    metrics.counter("gateway.backup.backup.rows", "section", name).increment(batch.size());
                                }))
                        .collect().last())
                .chain(() -> write(sink, writer, writer::endSection))
                .invoke(() -> Log.infof("backup: %s, %d rows in %d ms", name, rows.get(name), stopwatch.millis()));
    }

    private interface Encoding {
        void run() throws IOException;
    }

    /** Encodes, then hands what was encoded to the sink and waits until it takes it. */
    private static Uni<Void> write(BackupSink sink, BackupWriter writer, Encoding encoding) {
        try {
            encoding.run();
            return sink.write(writer.takeChunk());
        } catch (IOException e) {
            return Uni.createFrom().failure(new UncheckedIOException(e));
        }
    }
}
