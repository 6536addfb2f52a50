package gateway.backup.schedule;

import gateway.backup.metrics.Stopwatch;
import gateway.backup.job.Job;
import gateway.backup.job.JobKind;
import gateway.backup.job.JobRegistry;

import gateway.backup.backup.BackupService;
import gateway.backup.backup.BackupService.BackupSummary;
import gateway.backup.backup.BackupSink;
import gateway.backup.crypto.AgeEncryption;
import gateway.backup.domain.AdvisoryLocks;
import gateway.backup.crypto.EncryptionException;
import gateway.backup.manifest.BackupManifest;
import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.BackupStorage.Completed;
import gateway.backup.storage.BackupStorage.PendingFile;
import gateway.backup.storage.BackupStorage.Verification;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.Storages;
import gateway.backup.storage.StoredFile;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.CompositeException;
import gateway.backup.worker.Workers;
import io.netty.buffer.ByteBuf;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * One auto-backup run: the backup (full or incremental, age-encrypted when recipients are set)
 * streamed into the chosen storage, checked against its size and content (by a checksum the store
 * keeps, else read back and compared with its CRC32C), its manifest written beside it, then
 * retention, then the attempt recorded in the settings. At most one run at a time across all
 * replicas: a run holds a PostgreSQL session advisory lock on a connection of its own for its
 * whole length (released with the connection if the process dies); a manual trigger that cannot
 * take it at once answers "already running", a scheduled run waits for it.
 */
@ApplicationScoped
public class AutoBackupRunner {

    /** The advisory lock every replica's runs share ("gatewayB"). */
    static final long LOCK_KEY = 0x6761746577617942L;
    static final String SEE_LOG = "; see the service log";
    static final String SHUT_DOWN = "Stopped: the service shut down during the backup; nothing was kept";

    private final Pool pool;
    private final Vertx vertx;
    private final BackupService backups;
    private final AutoBackupSettingsStore store;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final GatewayBackupConfig.AutoBackup config;
    private final JobRegistry jobs;
    private final List<String> defaultRecipients;
    private final AtomicReference<Run> current = new AtomicReference<>();
    private volatile boolean shuttingDown;

    AutoBackupRunner(Pool pool, Vertx vertx, BackupService backups, AutoBackupSettingsStore store, Clock clock,
            MeterRegistry metrics, GatewayBackupConfig config, JobRegistry jobs) {
        this.pool = pool;
        this.jobs = jobs;
        this.vertx = vertx;
        this.backups = backups;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.config = config.autoBackup();
        this.defaultRecipients = config.encryption().recipients().orElse(List.of());
    }

    /**
     * Starts a run in the background and answers at once with what it did; fails with
     * {@link NotStartedException} (its message says why) when there is no usable storage or a run
     * is already in progress.
     */
    public Uni<String> trigger() {
        if (shuttingDown) {
            return Uni.createFrom().failure(new NotStartedException("The service is shutting down; try again in a moment"));
        }
        return store.read().chain(settings -> store.usableStorage(settings.dataStorageId()).chain(problem -> {
            if (problem != null) {
                throw new NotStartedException("Auto-backup is not set up: " + problem);
            }
            return store.timezone().chain(zone -> lock(false).map(run -> {
                if (run == null) {
                    throw new NotStartedException("A backup is already running; wait for it to end "
                            + "(lastBackupAt and lastBackupError show its result)");
                }
                onNewContext(() -> execute(run, settings, zone, "manual")).subscribe().with(done -> {
                }, failure -> Log.errorf("auto-backup: %s", failure.getClass().getSimpleName()));
                return "Backup started to data storage " + settings.dataStorageId() + " as job " + run.job.id()
                        + " (backupJob, backupJobProgress); it runs in the background, and lastBackupAt and lastBackupError show its result";
            }));
        }));
    }

    /** A scheduled run: waits for any run in progress, then runs; completes when it has ended. */
    Uni<Void> runScheduled(AutoBackupSettings settings, ZoneId zone) {
        if (shuttingDown) {
            return Uni.createFrom().voidItem();
        }
        return lock(true).chain(run -> onNewContext(() -> execute(run, settings, zone, "scheduled")));
    }

    /** Whether a run is in progress on this instance. */
    public boolean isRunning() {
        return current.get() != null;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
        stop(config.shutdownGrace());
    }

    /**
     * Lets a run in progress finish within {@code grace}; after that aborts its file (nothing is
     * kept) and records the attempt as stopped. Blocks: call it from a shutdown or test thread.
     */
    public void stop(Duration grace) {
        Run run = current.get();
        if (run == null) {
            return;
        }
        try {
            run.done.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            Log.warnf("auto-backup: still running after %d ms at shutdown; aborting it", grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            return;
        }
        run.stopping = true;
        PendingFile pending = run.pending;
        if (pending != null) {
            pending.abort();
        }
        if (run.finished.compareAndSet(false, true)) {
            count(run, "failure");
            Log.warnf("auto-backup: failed: %s", SHUT_DOWN);
            run.job.fail(SHUT_DOWN);
            store.recordAttempt(clock.instant(), SHUT_DOWN).await().atMost(Duration.ofSeconds(5));
        }
    }

    /** Takes the run lock on a connection of its own; null when {@code wait} is false and another run holds it. */
    private Uni<Run> lock(boolean wait) {
        return pool.getConnection().chain(connection -> AdvisoryLocks.sessionLock(connection, LOCK_KEY, wait)
                .onFailure().call(connection::close)
                .chain(locked -> {
                    if (!locked) {
                        return connection.close().replaceWith((Run) null);
                    }
                    Run run = new Run(connection);
                    current.set(run);
                    return Uni.createFrom().item(run);
                }));
    }

    private Uni<Void> unlock(Run run) {
        current.compareAndSet(run, null);
        return AdvisoryLocks.sessionUnlock(run.connection, LOCK_KEY)
                .onItemOrFailure().transformToUni((ok, failure) -> run.connection.close())
                .eventually(() -> run.done.complete(null));
    }

    /** Runs on a fresh duplicated Vert.x context: Hibernate Reactive (the backup's reads) needs one. */
    private Uni<Void> onNewContext(java.util.function.Supplier<Uni<Void>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored ->
                work.get().subscribe().with(emitter::complete, emitter::fail)));
    }

    private Uni<Void> execute(Run run, AutoBackupSettings settings, ZoneId zone, String trigger) {
        Context context = Vertx.currentContext();
        Instant now = clock.instant();
        RetentionPolicy policy = new RetentionPolicy(config.filePrefix(), Math.max(0, settings.retentionDays()), zone);
        Map<String, Boolean> options = BackupManifest.options(settings.backupOptions());
        return store.storage(settings.dataStorageId())
                .chain(row -> Workers.blocking(context, () -> Storages.open(row)))
                .chain(storage -> {
                    run.where = storage.describe();
                    return Workers.blocking(context, () -> {
                        List<String> recipients = recipients(settings);
                        BackupChain.Plan plan = BackupChain.plan(storage, policy, settings, options, now);
                        String name = policy.fileName(LocalDateTime.ofInstant(now, zone), plan.incremental(), !recipients.isEmpty());
                        return new Target(name, recipients, plan);
                    }).chain(target -> {
                        Log.infof("auto-backup: started (%s) to %s as %s%s", trigger, run.where, target.name(),
                                target.plan().incremental() ? " (incremental on " + target.plan().base().name() + ")" : "");
                        return Workers.blocking(context, () -> storage.create(target.name()))
                                .chain(pending -> write(run, settings, target, context, pending))
                                .chain(written -> Workers.blocking(context, () -> checkAndDescribe(storage, target, options, written)))
                                .chain(stored -> retention(context, storage, policy, target.name(), now));
                    }).eventually(() -> Workers.blocking(context, () -> {
                        storage.close();
                        return null;
                    }));
                })
                .onItemOrFailure().transformToUni((ok, failure) -> finish(run, failure))
                .eventually(() -> unlock(run));
    }

    /** The file a run writes: its name, the age recipients it is encrypted to, full or incremental. */
    private record Target(String name, List<String> recipients, BackupChain.Plan plan) {
    }

    /** The settings' recipients, else those of GATEWAY_BACKUP_ENCRYPTION_RECIPIENTS; checked. */
    private List<String> recipients(AutoBackupSettings settings) {
        try {
            return AgeEncryption.recipients(!settings.encryptionRecipients().isEmpty() ? settings.encryptionRecipients()
                    : defaultRecipients);
        } catch (EncryptionException e) {
            throw new NotStartedException("Auto-backup encryption_recipients: " + e.getMessage());
        }
    }

    /** What a run wrote, and what the storage's complete() checked of it. */
    private record Written(BackupSummary summary, Completed completed) {
    }

    /** Streams the backup into the storage and completes the file; on any failure the file is aborted. */
    private Uni<Written> write(Run run, AutoBackupSettings settings, Target target, Context context, PendingFile pending) {
        run.pending = pending;
        StorageSink sink = new StorageSink(run, pending.out(), context);
        return backups.backup(settings.backupOptions(), sink, false, target.recipients(), target.plan().since(), run.job)
                .call(summary -> sink.drain())
                .invoke(summary -> {
                    run.bytes = summary.bytes();
                    Log.infof("auto-backup: written %s, %d bytes", summary.rows(), summary.bytes());
                })
                .chain(summary -> Workers.blocking(context, pending::complete)
                        .invoke(done -> Log.infof("auto-backup: stored %s in %s, %d bytes", done.file().name(), run.where,
                                done.file().size()))
                        .map(done -> new Written(summary, done)))
                .onFailure().call(failure -> sink.waitForWrite().onFailure().recoverWithNull()
                        .chain(() -> Workers.blocking(context, () -> {
                            pending.abort();
                            return null;
                        })));
    }

    /**
     * Checks the stored file's content ({@link #checkContent}), then writes its manifest beside it; on
     * a mismatch or a failure both are deleted. Blocking.
     */
    private StoredFile checkAndDescribe(BackupStorage storage, Target target, Map<String, Boolean> options,
            Written written) throws IOException {
        String name = target.name();
        String manifestName = BackupManifest.nameFor(name);
        BackupSummary summary = written.summary();
        boolean kept = false;
        try {
            Verification checked = checkContent(storage, name, written.completed(), summary);
            BackupManifest manifest = BackupManifest.of(name, options, summary, false, target.recipients(),
                    target.plan().incremental() ? target.plan().base().name() : null);
            PendingFile pending = storage.create(manifestName);
            try {
                pending.out().write(manifest.toJson());
                pending.complete();
            } catch (IOException | RuntimeException e) {
                pending.abort();
                throw e;
            }
            kept = true;
            Log.infof("auto-backup: verified %s (%d bytes, SHA-256 %s, %s) and wrote %s", name, summary.bytes(),
                    summary.sha256(), checked == Verification.CONTENT ? "by the store's checksum" : "read back", manifestName);
            return new StoredFile(name, summary.bytes(), clock.instant());
        } finally {
            if (!kept) {
                storage.delete(name);
                storage.delete(manifestName);
            }
        }
    }

    /**
     * Checks that the stored file holds what was written. When the storage compared the stored content
     * with a checksum the store keeps (S3's MD5 ETag) or read every block back as it wrote it (fs) and
     * the size agrees, that check stands: reading the whole file back would only repeat it. Otherwise
     * the file is read back and its size and CRC32C must be those written, both in the manifest
     * (CRC32C catches what a store can lose or garble, and costs a fifth of SHA-256's time read back:
     * 0.2 s against 0.8 s per GB here). Answers the check that stands; blocking.
     */
    static Verification checkContent(BackupStorage storage, String name, Completed completed, BackupSummary summary)
            throws IOException {
        if (completed.verification() != Verification.SIZE && completed.file().size() == summary.bytes()) {
            return completed.verification();
        }
        CRC32C crc = new CRC32C();
        long size;
        try (InputStream in = new CheckedInputStream(storage.open(name), crc)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        }
        if (size != summary.bytes() || crc.getValue() != summary.crc32c()) {
            throw new StorageException("The backup " + name + " read back from " + storage.describe() + " differs from what "
                    + "was written (" + size + " bytes, CRC32C " + BackupManifest.crc32cHex(crc.getValue()) + "; written "
                    + summary.bytes() + " bytes, CRC32C " + BackupManifest.crc32cHex(summary.crc32c()) + "); it was deleted");
        }
        return Verification.READ_BACK;
    }

    private Uni<Void> retention(Context context, BackupStorage storage, RetentionPolicy policy, String written, Instant now) {
        return Workers.blocking(context, () -> {
            try {
                List<StoredFile> files = storage.list(policy.prefix());
                List<StoredFile> backups = policy.backups(files);
                List<StoredFile> expired = policy.expired(backups, written, now, BackupChain.bases(storage, backups));
                for (StoredFile file : expired) {
                    storage.delete(file.name());
                    storage.delete(BackupManifest.nameFor(file.name()));
                }
                Log.infof("auto-backup: retention (%d days) deleted %d backups", policy.retentionDays(), expired.size());
                return null;
            } catch (IOException e) {
                throw new StorageException("The backup " + written + " was written, but deleting old backups failed: "
                        + oneLine(e, storage.describe()), e);
            }
        });
    }

    /** Records the attempt and counts it, once per run (a shutdown may have done it already). */
    private Uni<Void> finish(Run run, Throwable failure) {
        if (!run.finished.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        String error = failure == null ? null : run.stopping ? SHUT_DOWN : oneLine(failure, run.where);
        count(run, failure == null ? "success" : "failure");
        if (error == null) {
            run.job.succeed("Backup written to " + run.where);
        } else {
            run.job.fail(error);
        }
        long ms = run.stopwatch.millis();
        if (error == null) {
            metrics.counter("gateway.backup.auto_backup.bytes").increment(run.bytes);
            Log.infof("auto-backup: done in %d ms, %d bytes", ms, run.bytes);
        } else if (error.endsWith(SEE_LOG)) {
            // Not one of our messages: the operator needs the cause (database and Hibernate errors carry no storage secret).
            Log.warnf(failure, "auto-backup: failed after %d ms: %s", ms, error);
        } else {
            Log.warnf("auto-backup: failed after %d ms: %s", ms, error);
        }
        return store.recordAttempt(clock.instant(), error)
                .onFailure().invoke(e -> Log.errorf("auto-backup: could not record the attempt: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    private void count(Run run, String outcome) {
        metrics.counter("gateway.backup.auto_backup.runs", "outcome", outcome).increment();
        run.timer.stop(metrics.timer("gateway.backup.auto_backup.duration", "outcome", outcome));
    }

    /**
     * One line for last_backup_error and the log: our own messages (storage, settings) as they are,
     * any other exception by its class name only, since SDK and driver messages are not ours to vet.
     */
    static String oneLine(Throwable failure, String where) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof CompositeException composite) {
                cause = composite.getCauses().get(0);
                continue;
            }
            if (cause instanceof StorageException || cause instanceof NotStartedException) {
                return cause.getMessage().replace('\n', ' ');
            }
            if (cause instanceof IOException) {
                return "Cannot write to " + (where == null ? "the storage" : where) + ": " + cause.getClass().getSimpleName();
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        return "Backup failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")" + SEE_LOG;
    }

    /**
     * Hands chunks to the storage's stream on a worker, gathered into writes of at least
     * {@link #WRITE_SIZE} (a thread hop per batch cost about a third of the throughput on a busy
     * machine), with one write in flight while the next batches are encoded. {@link #drain()}
     * writes the rest and waits for it.
     */
    private static final class StorageSink implements BackupSink {
        static final int WRITE_SIZE = 4 * 1024 * 1024;

        private final Run run;
        private final OutputStream out;
        private final Context context;
        // Touched only on the run's context.
        private List<ByteBuf> gathered = new ArrayList<>();
        private long gatheredBytes;
        private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

        StorageSink(Run run, OutputStream out, Context context) {
            this.run = run;
            this.out = out;
            this.context = context;
        }

        @Override
        public Uni<Void> write(Buffer chunk) {
            if (run.stopping) {
                return Uni.createFrom().failure(new NotStartedException(SHUT_DOWN));
            }
            if (inFlight.isCompletedExceptionally()) {
                return waitForWrite();
            }
            gathered.add(chunk.getDelegate().getByteBuf()); // the chunk's bytes, not a copy: the writer made them for us alone
            gatheredBytes += chunk.length();
            return gatheredBytes < WRITE_SIZE ? Uni.createFrom().voidItem() : waitForWrite().invoke(this::startWrite);
        }

        /** Writes what is gathered; completes when every byte is in the storage's stream. */
        Uni<Void> drain() {
            return waitForWrite().invoke(this::startWrite).chain(this::waitForWrite);
        }

        private void startWrite() {
            List<ByteBuf> chunks = gathered;
            gathered = new ArrayList<>();
            gatheredBytes = 0;
            inFlight = CompletableFuture.runAsync(() -> {
                try {
                    for (ByteBuf bytes : chunks) {
                        bytes.getBytes(bytes.readerIndex(), out, bytes.readableBytes()); // a heap buffer's array, uncopied
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Infrastructure.getDefaultWorkerPool());
        }

        /** Completes when the write in flight has, back on the run's context; fails with its failure. */
        Uni<Void> waitForWrite() {
            if (inFlight.isDone() && !inFlight.isCompletedExceptionally()) {
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().completionStage(inFlight)
                    .onFailure(java.util.concurrent.CompletionException.class).transform(Throwable::getCause)
                    .emitOn(command -> context.runOnContext(ignored -> command.run()));
        }
    }

    /** The state of the run in progress. */
    private final class Run {
        final SqlConnection connection;
        final Stopwatch stopwatch = Stopwatch.start();
        final Timer.Sample timer = Timer.start(metrics);
        final AtomicBoolean finished = new AtomicBoolean();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean stopping;
        volatile PendingFile pending;
        volatile String where;
        volatile long bytes;
        final Job job = jobs.start(JobKind.AUTO_BACKUP);

        Run(SqlConnection connection) {
            this.connection = connection;
        }
    }

    /** A run that was not started, or stopped; the message says why, for the caller or last_backup_error. */
    public static final class NotStartedException extends RuntimeException {
        public NotStartedException(String message) {
            super(message);
        }
    }
}
