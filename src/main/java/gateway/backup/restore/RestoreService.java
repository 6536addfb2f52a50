package gateway.backup.restore;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.domain.AdvisoryLocks;
import gateway.backup.domain.ApiKeyRepository;
import gateway.backup.domain.BatchLimit;
import gateway.backup.domain.ChannelRepository;
import gateway.backup.domain.ProjectRepository;
import gateway.backup.domain.ReadAhead;
import gateway.backup.format.BackupFormat;
import gateway.backup.job.JobProgress;
import gateway.backup.metrics.Stopwatch;
import gateway.backup.metrics.Timed;
import gateway.backup.restore.BackupReader.Element;
import gateway.backup.restore.BackupReader.Index;
import gateway.backup.restore.BackupReader.Section;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import gateway.backup.worker.Workers;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hibernate.FlushMode;

/**
 * Restores a backup file in one transaction: sections read from disk in dependency order
 * (channels, model prices, models, projects, API keys, usage requests, usage logs) a batch at
 * a time on a worker thread, written on the event loop. Any error rolls everything back.
 */
@ApplicationScoped
public class RestoreService {

    /** The advisory lock all restores share ("gwRestor"); auto-backup runs use another key. */
    static final long RESTORE_LOCK_KEY = 0x6777526573746f72L;

    private final ConfigRestore config;
    private final UsageRestore usage;
    private final MeterRegistry metrics;
    private final BatchLimit batchLimit;
    private final ShutdownSignal shutdown;
    private final Spool spool;
    private final BackupReader.Limits readerLimits;
    private final int referenceCacheSize;
    private final int requestIdRuns;
    private final ProjectRepository projects;
    private final ChannelRepository channels;
    private final ApiKeyRepository apiKeys;

    RestoreService(ConfigRestore config, UsageRestore usage, MeterRegistry metrics, GatewayBackupConfig settings,
            ShutdownSignal shutdown, Spool spool, ProjectRepository projects, ChannelRepository channels,
            ApiKeyRepository apiKeys) {
        this.projects = projects;
        this.channels = channels;
        this.apiKeys = apiKeys;
        this.config = config;
        this.usage = usage;
        this.metrics = metrics;
        this.batchLimit = settings.restore().batchLimit();
        this.shutdown = shutdown;
        this.spool = spool;
        this.readerLimits = BackupReader.Limits.of(settings.restore());
        // A batch's names must all stay cached until its rows are resolved.
        this.referenceCacheSize = Math.max(settings.restore().referenceCacheSize(), batchLimit.rows());
        this.requestIdRuns = settings.restore().requestIdRuns();
    }

    /**
     * Restores a backup file (plain or gzip) from disk in one transaction. Fails with a
     * {@link RestoreException} for bad input or a conflict under strategy error. Must be called
     * on a Vert.x context (a route or a GraphQL resolver).
     */
    public Uni<RestoreReport> restore(Path file, RestoreOptions options) {
        return restore(List.of(file), options, JobProgress.NONE);
    }

    /** As above, telling {@code progress} the file's size, the section being read and rows as batches pass. */
    public Uni<RestoreReport> restore(Path file, RestoreOptions options, JobProgress progress) {
        return restore(List.of(file), options, progress);
    }

    /**
     * Restores a chain of backup files (a full backup, then incrementals, oldest first) in one
     * transaction: the configuration of the newest file (it is the latest state, and restoring each
     * file's would conflict with itself under strategy error), then every file's usage rows in order,
     * de-duplicated as one restore. A single file is a chain of one.
     */
    public Uni<RestoreReport> restore(List<Path> files, RestoreOptions options, JobProgress progress) {
        Context context = Vertx.currentContext();
        RestoreReport report = new RestoreReport();
        List<Path> plains = new ArrayList<>();
        Uni<RestoreReport> work = Workers.blocking(context, () -> index(files, plains, progress))
                .chain(indexes -> Panache.withTransaction(() -> Panache.getSession()
                        // Flushed explicitly after each kind: no dirty check of every entity before each query.
                        .invoke(session -> session.setFlushMode(FlushMode.COMMIT))
                        .chain(() -> waitForOtherRestores(report))
                        .chain(() -> restoreConfig(context, progress, indexes.get(indexes.size() - 1), options, report))
                        .chain(() -> restoreUsage(context, progress, indexes, options, report))
                        .chain(() -> options.dryRun() ? rollBack(report) : Uni.createFrom().voidItem())))
                .eventually(() -> Workers.blocking(context, () -> deleteDecompressed(files, plains)))
                .map(done -> report);
        return Timed.timed(metrics, "restore", () -> work,
                done -> report.summary() + (files.size() > 1 ? " (" + files.size() + " files)" : ""),
                failure -> "rolled back: " + (failure instanceof RestoreException || failure instanceof RestoreInterruptedException
                        ? failure.getMessage() : failure.getClass().getSimpleName()));
    }

    /** On a worker: each file decompressed (and decrypted) into the spool where needed, and indexed. */
    private List<Index> index(List<Path> files, List<Path> plains, JobProgress progress) throws IOException {
        for (Path file : files) {
            plains.add(spool.plain(file, () -> false));
        }
        progress.phase("reading the file");
        List<Index> indexes = new ArrayList<>();
        for (Path plain : plains) {
            progress.bytes(Files.size(plain));
            indexes.add(BackupReader.index(plain, readerLimits, true));
        }
        return indexes;
    }

    /** On a worker: the spooled copies this restore made (never the caller's own files). */
    private Void deleteDecompressed(List<Path> files, List<Path> plains) throws IOException {
        for (int i = 0; i < plains.size(); i++) {
            if (!plains.get(i).equals(files.get(i))) {
                spool.delete(plains.get(i));
            }
        }
        return null;
    }

    /** How one configuration section is restored: each element in turn, then optionally a flush. */
    private record ConfigStep(String section, boolean included, Function<Element, Uni<Void>> restore, boolean flushAfter) {
    }

    /** The configuration sections in dependency order (prices and models name channels; keys name projects). */
    private Uni<Void> restoreConfig(Context context, JobProgress progress, Index index, RestoreOptions options, RestoreReport report) {
        ChannelIdRemapper remapper = new ChannelIdRemapper();
        List<ConfigStep> steps = List.of(
                // Not restored, channels are still mapped by name: models and projects name them by id.
                new ConfigStep(BackupFormat.CHANNELS, true, element -> options.includeChannels()
                        ? config.restoreChannel(element, options.channelConflictStrategy(), remapper, report)
                        : config.mapChannel(element, remapper), true),
                new ConfigStep(BackupFormat.CHANNEL_MODEL_PRICES, options.includeModelPrices(),
                        element -> config.restorePrice(element, options.modelPriceConflictStrategy(), report), false),
                new ConfigStep(BackupFormat.MODELS, options.includeModels(),
                        element -> config.restoreModel(element, options.modelConflictStrategy(), remapper, report), false),
                new ConfigStep(BackupFormat.PROJECTS, options.includeProjects(),
                        element -> config.restoreProject(element, options.projectConflictStrategy(), remapper, report), true),
                new ConfigStep(BackupFormat.API_KEYS, options.includeAPIKeys(),
                        element -> config.restoreApiKey(element, options.apiKeyConflictStrategy(), remapper, report), true));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ConfigStep step : steps) {
            chain = chain.chain(() -> restoreElements(context, progress, index, step.section(), step.included(),
                    batch -> eachInTurn(batch, step.restore())));
            if (step.flushAfter()) {
                chain = chain.chain(config::flush);
            }
        }
        return chain;
    }

    /**
     * Every file's usage requests, then every file's usage logs, newest file first: a row that changed
     * between two backups of a chain (a request still running at the first) is in the newer file as
     * it ended, and restoring that version first makes the older one a duplicate of it (same old id).
     */
    private Uni<Void> restoreUsage(Context context, JobProgress progress, List<Index> indexes, RestoreOptions options, RestoreReport report) {
        if (!options.includeUsageStats()) {
            return Uni.createFrom().voidItem();
        }
        ReferenceResolver refs = new ReferenceResolver(referenceCacheSize, projects, channels, apiKeys);
        RequestIds ids = new RequestIds(requestIdRuns);
        List<Index> newestFirst = new ArrayList<>(indexes);
        Collections.reverse(newestFirst);
        Uni<Void> chain = usage.begin();
        for (Index index : newestFirst) {
            chain = chain.chain(() -> restoreUsageSection(context, progress, index, BackupFormat.USAGE_REQUESTS,
                    UsageReader::requests, batch -> usage.restoreRequests(batch, refs, ids, report)));
        }
        for (Index index : newestFirst) {
            chain = chain.chain(() -> restoreUsageSection(context, progress, index, BackupFormat.USAGE_LOGS,
                    UsageReader::logs, batch -> usage.restoreLogs(batch, refs, ids, report)));
        }
        return chain;
    }

    /**
     * One restore at a time (all replicas): a transaction-level advisory lock, freed by the commit or
     * rollback. Two restores of one file at once would both see no duplicates and both insert.
     */
    private static Uni<Void> waitForOtherRestores(RestoreReport report) {
        return Panache.getSession().chain(session -> AdvisoryLocks.tryTransactionLock(session, RESTORE_LOCK_KEY)
                .chain(free -> {
                    if (free) {
                        return Uni.createFrom().voidItem();
                    }
                    Stopwatch stopwatch = Stopwatch.start();
                    return AdvisoryLocks.transactionLock(session, RESTORE_LOCK_KEY).invoke(() -> {
                        long waited = stopwatch.millis();
                        report.warn("waited " + waited + " ms for another restore to finish (restores run one at a time)");
                        Log.infof("restore: waited %d ms for another restore", waited);
                    });
                }));
    }

    /** A dry run: the report stands, the transaction ends in a rollback instead of a commit. */
    private static Uni<Void> rollBack(RestoreReport report) {
        report.dryRun = true;
        return Panache.currentTransaction().invoke(transaction -> transaction.markForRollback()).replaceWithVoid();
    }

    /** Runs each element's restore in turn. */
    private static Uni<Void> eachInTurn(List<Element> batch, Function<Element, Uni<Void>> restore) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Element element : batch) {
            chain = chain.chain(() -> restore.apply(element));
        }
        return chain;
    }

    /** Reads a section batch by batch on a worker and hands each batch to {@code handle} on the context. */
    private Uni<Void> restoreElements(Context context, JobProgress progress, Index index, String name, boolean included,
            Function<List<Element>, Uni<Void>> handle) {
        if (!included || !index.has(name)) {
            return Uni.createFrom().voidItem();
        }
        Stopwatch stopwatch = Stopwatch.start();
        progress.phase(name);
        return Workers.blocking(context, () -> new Section(index, name))
                .chain(section -> batches(context, section, batch -> handle.apply(batch)
                                .invoke(() -> progress.rows(batch.size())))
                        .eventually(() -> Workers.blocking(context, () -> {
                            section.close();
                            return null;
                        })))
                .invoke(() -> Log.infof("restore: %s read in %d ms", name, stopwatch.millis()));
    }

    private Uni<Void> batches(Context context, Section section, Function<List<Element>, Uni<Void>> handle) {
        return Multi.createBy().repeating().uni(() -> Workers.blocking(context, () -> section.next(batchLimit)))
                .until(List::isEmpty)
                .onItem().transformToUniAndConcatenate(batch -> unlessShuttingDown(handle, batch))
                .collect().last().replaceWithVoid();
    }

    /** On SIGTERM the next batch fails instead of running: the transaction rolls back. */
    private <B> Uni<Void> unlessShuttingDown(Function<B, Uni<Void>> handle, B batch) {
        return shutdown.shuttingDown() ? Uni.createFrom().failure(new RestoreInterruptedException()) : handle.apply(batch);
    }

    private interface Opener<R extends UsageReader.Row> {
        UsageReader<R> open(Index index) throws IOException;
    }

    /**
     * A usage section: read into rows on a worker, written on the context, pipelined: while one
     * batch is written, the worker already reads the next (at most two batches in memory).
     */
    private <R extends UsageReader.Row> Uni<Void> restoreUsageSection(Context context, JobProgress progress, Index index,
            String name, Opener<R> opener, Function<List<R>, Uni<Void>> handle) {
        if (!index.has(name)) {
            return Uni.createFrom().voidItem();
        }
        Stopwatch stopwatch = Stopwatch.start();
        progress.phase(name);
        return Workers.blocking(context, () -> opener.open(index)).chain(reader -> {
            Supplier<Uni<List<R>>> read = () -> Workers.blocking(context, () -> reader.next(batchLimit));
            ReadAhead<List<R>> ahead = new ReadAhead<>(read.get(), batch -> read.get(), batch -> !batch.isEmpty());
            Multi<List<R>> batches = Multi.createBy().repeating().uni(ahead::next).until(List::isEmpty);
            return batches.onItem().transformToUniAndConcatenate(batch -> unlessShuttingDown(handle, batch)
                            .invoke(() -> progress.rows(batch.size())))
                    .collect().last().replaceWithVoid()
                    // The read ahead may still be running: the reader is closed only once it is done.
                    .eventually(() -> ahead.settled().chain(() -> Workers.blocking(context, () -> {
                        reader.close();
                        return (Void) null;
                    })));
        }).invoke(() -> Log.infof("restore: %s read in %d ms", name, stopwatch.millis()));
    }
}
