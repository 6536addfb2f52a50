package gateway.backup.backup;

import gateway.backup.domain.BackupSnapshot;
import gateway.backup.job.JobProgress;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The rows a backup will write, for its job's progress: configuration tables counted exactly
 * (small), usage tables estimated from PostgreSQL's statistics (SQL: domain.BackupSnapshot), so
 * that no count walks millions of rows. One query, inside the backup's snapshot.
 */
final class RowEstimate {

    private RowEstimate() {
    }

    /** Asks for the estimate of the sections {@code options} include and tells {@code progress}. */
    static Uni<Void> report(Mutiny.Session s, BackupOptions options, JobProgress progress) {
        return BackupSnapshot.rowEstimate(s, options.includeProjects(), options.includeChannels(), options.includeModels(),
                options.includeModelPrices(), options.includeAPIKeys(), options.includeUsageStats())
                .invoke(estimate -> report(estimate, progress)).replaceWithVoid();
    }

    private static void report(BackupSnapshot.RowEstimate estimate, JobProgress progress) {
        if (estimate.usage() == null) {
            return;
        }
        progress.expectRows(estimate.configuration(), false);
        long usage = estimate.usage();
        progress.expectRows(usage, usage > 0);
    }
}
