package gateway.backup.schedule;

import gateway.backup.backup.UsageWatermark;
import gateway.backup.manifest.BackupManifest;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StoredFile;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incremental auto-backups as chains: a full backup, then incrementals, each naming in its manifest
 * the backup before it ({@code base}) and where its usage rows end ({@code watermark}). Decides
 * whether the next run is full or incremental, and which files a chain restore reads. Reads the
 * storage (blocking: call on a worker thread).
 */
public final class BackupChain {

    private BackupChain() {
    }

    /** What the next run writes: an incremental on {@code base} (its manifest), or a full backup when base is null. */
    public record Plan(BackupManifest base) {
        public boolean incremental() {
            return base != null;
        }

        public UsageWatermark since() {
            if (base == null) {
                return null;
            }
            BackupManifest.Watermark w = base.watermark();
            return new UsageWatermark(w.maxRequestId(), w.maxLogId(), w.snapshotXmax(),
                    w.inProgress() == null ? List.of() : w.inProgress());
        }
    }

    /**
     * Incremental when the settings ask for it, the newest backup has a manifest with a watermark and
     * the same options, and the chain's full backup is younger than {@code full_every_days}; else full.
     */
    public static Plan plan(BackupStorage storage, RetentionPolicy policy, AutoBackupSettings settings,
            Map<String, Boolean> options, Instant now) throws IOException {
        if (settings.mode() != AutoBackupSettings.BackupMode.incremental || !settings.includeUsageStats()) {
            return new Plan(null);
        }
        List<StoredFile> backups = policy.backups(storage.list(policy.prefix()));
        if (backups.isEmpty()) {
            return new Plan(null);
        }
        String newest = backups.get(backups.size() - 1).name();
        Optional<BackupManifest> base = manifest(storage, newest);
        if (base.isEmpty() || base.get().watermark() == null || !options.equals(base.get().options())) {
            return new Plan(null);
        }
        Map<String, BackupManifest> manifests = new HashMap<>();
        manifests.put(newest, base.get());
        String full = fullOf(storage, newest, manifests);
        Optional<Instant> fullAt = full == null ? Optional.empty() : policy.timeOf(full);
        if (fullAt.isEmpty() || !fullAt.get().plus(Duration.ofDays(settings.fullEveryDays())).isAfter(now)) {
            return new Plan(null);
        }
        return new Plan(base.get());
    }

    /** The files to restore for {@code name}, oldest first: its full backup, then each incremental up to it. */
    public static List<String> files(BackupStorage storage, String name) throws IOException {
        List<String> chain = new ArrayList<>();
        String current = name;
        while (current != null) {
            if (chain.contains(current) || chain.size() > 10_000) {
                throw new IOException("The manifests of " + name + " form a loop");
            }
            chain.add(0, current);
            Optional<BackupManifest> manifest = manifest(storage, current);
            String base = manifest.map(BackupManifest::base).orElse(null);
            if (base != null && storage.stat(base).isEmpty()) {
                throw new IOException("The backup " + current + " builds on " + base + ", which is not in the storage");
            }
            current = base;
        }
        return chain;
    }

    /** Each incremental backup's base, from the manifests beside {@code backups}. */
    public static Map<String, String> bases(BackupStorage storage, List<StoredFile> backups) throws IOException {
        Map<String, String> bases = new LinkedHashMap<>();
        for (StoredFile file : backups) {
            manifest(storage, file.name()).map(BackupManifest::base).ifPresent(base -> bases.put(file.name(), base));
        }
        return bases;
    }

    /** The manifest beside a backup, or empty when there is none or it cannot be read. */
    public static Optional<BackupManifest> manifest(BackupStorage storage, String backup) throws IOException {
        String name = BackupManifest.nameFor(backup);
        if (storage.stat(name).isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = storage.open(name)) {
            return Optional.of(BackupManifest.read(in));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            Log.warnf("auto-backup: the manifest %s is not valid JSON; treating %s as having none", name, backup);
            return Optional.empty();
        }
    }

    private static String fullOf(BackupStorage storage, String name, Map<String, BackupManifest> manifests) throws IOException {
        String current = name;
        for (int steps = 0; current != null && steps < 10_000; steps++) {
            BackupManifest manifest = manifests.containsKey(current) ? manifests.get(current)
                    : manifest(storage, current).orElse(null);
            if (manifest == null) {
                return null;
            }
            if (manifest.base() == null) {
                return current;
            }
            current = manifest.base();
        }
        return null;
    }
}
