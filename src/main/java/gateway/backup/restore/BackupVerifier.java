package gateway.backup.restore;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.crypto.AgeEncryption;
import gateway.backup.domain.BatchLimit;
import gateway.backup.format.BackupFormat;
import gateway.backup.manifest.BackupManifest;
import gateway.backup.manifest.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads a whole backup file the way restore does (decrypting and decompressing in the spool, the
 * same structure checks and limits) and counts it, without touching the database. The file's
 * request ids and the logs' request ids are kept as sorted long arrays (8 bytes a row) to count
 * logs without their request. Blocking: call on a worker thread.
 */
@ApplicationScoped
public class BackupVerifier {

    private final Spool spool;
    private final BackupReader.Limits limits;
    private final BatchLimit batchLimit;

    BackupVerifier(Spool spool, GatewayBackupConfig config) {
        this.spool = spool;
        this.limits = BackupReader.Limits.of(config.restore());
        this.batchLimit = config.restore().batchLimit();
    }

    /** Verifies {@code file}; {@code manifest} (may be null) is what its size and SHA-256 are compared with. */
    public VerifyReport verify(Path file, BackupManifest manifest, BooleanSupplier stopped) throws IOException {
        VerifyReport report = new VerifyReport();
        Sha256.Digest digest;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(AgeEncryption.headerLength());
            report.encrypted = AgeEncryption.isAge(head, head.length);
        }
        try (InputStream in = Files.newInputStream(file)) {
            digest = Sha256.of(in);
        }
        report.sha256 = digest.sha256();
        report.bytes = digest.size();
        if (manifest != null) {
            report.manifestMatches = manifest.bytes() == digest.size() && digest.sha256().equals(manifest.sha256());
        }
        Path plain = null;
        try {
            plain = spool.plain(file, stopped);
            BackupReader.Index index = BackupReader.index(plain, limits);
            report.version = index.version();
            LongList requestIds = new LongList();
            LongList logRequestIds = new LongList();
            for (String name : BackupFormat.SECTION_ORDER) {
                if (!index.has(name)) {
                    continue;
                }
                long rows = 0;
                try (BackupReader.Section section = new BackupReader.Section(index, name)) {
                    for (List<BackupReader.Element> batch = section.next(batchLimit); !batch.isEmpty(); batch = section.next(batchLimit)) {
                        if (stopped.getAsBoolean()) {
                            throw new Spool.Stopped();
                        }
                        rows += batch.size();
                        for (BackupReader.Element element : batch) {
                            if (name.equals(BackupFormat.USAGE_REQUESTS)) {
                                requestIds.add(element.node().path("id").asLong());
                            } else if (name.equals(BackupFormat.USAGE_LOGS)) {
                                logRequestIds.add(element.node().path("request_id").asLong());
                            }
                        }
                    }
                }
                RestoreReport.KindCounts counts = new RestoreReport.KindCounts(name);
                counts.rows = rows;
                report.sections.add(counts);
            }
            if (index.has(BackupFormat.USAGE_LOGS)) {
                long[] requests = requestIds.sorted();
                long missing = 0;
                for (long requestId : logRequestIds.values()) {
                    if (Arrays.binarySearch(requests, requestId) < 0) {
                        missing++;
                    }
                }
                report.usageLogsWithoutRequest = missing;
            }
            report.valid = report.manifestMatches == null || report.manifestMatches;
            report.message = report.valid ? "The file is a valid backup" + (report.manifestMatches == null ? "" : " and matches its manifest")
                    : "The file is readable, but its size or SHA-256 differs from its manifest: it changed after it was written";
        } catch (RestoreException e) {
            report.valid = false;
            report.message = e.getMessage();
        } finally {
            if (plain != null && !plain.equals(file)) {
                spool.delete(plain);
            }
        }
        return report;
    }

    /** A growable array of longs: a million ids take 8 MB, not the 50 MB of a List of Long. */
    private static final class LongList {
        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] values() {
            return Arrays.copyOf(values, size);
        }

        long[] sorted() {
            long[] sorted = values();
            Arrays.sort(sorted);
            return sorted;
        }
    }
}
