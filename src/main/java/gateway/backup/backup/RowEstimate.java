package gateway.backup.backup;

import gateway.backup.job.JobProgress;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a backup will write, for its job's progress: configuration tables counted exactly
 * (small), usage tables estimated from PostgreSQL's statistics ({@code pg_class.reltuples}), so
 * that no count walks millions of rows. One query, inside the backup's snapshot.
 */
final class RowEstimate {

    private RowEstimate() {
    }

    /** One row: exact count of the included configuration rows, usage estimate (null when never analysed). */
    static String sql(BackupOptions options) {
        List<String> exact = new ArrayList<>();
        exact.add("0");
        if (options.includeProjects()) {
            exact.add("(select count(*) from projects where deleted_at = 0)");
        }
        if (options.includeChannels()) {
            exact.add("(select count(*) from channels where deleted_at = 0)");
        }
        if (options.includeModels()) {
            exact.add("(select count(*) from models where deleted_at = 0)");
        }
        if (options.includeModelPrices()) {
            exact.add("(select count(*) from channel_model_prices where deleted_at = 0)");
        }
        if (options.includeAPIKeys()) {
            exact.add("(select count(*) from api_keys where deleted_at = 0)");
        }
        // reltuples is -1 for a table never analysed: then the usage total is unknown.
        String usage = options.includeUsageStats()
                ? "(select case when min(reltuples) < 0 then null else sum(reltuples)::bigint end from pg_class "
                        + "where oid in ('requests'::regclass, 'usage_logs'::regclass))"
                : "0::bigint";
        return "select (" + String.join(" + ", exact) + ")::bigint, " + usage;
    }

    static void report(Object[] row, JobProgress progress) {
        if (row[1] == null) {
            return;
        }
        progress.expectRows(((Number) row[0]).longValue(), false);
        long usage = ((Number) row[1]).longValue();
        progress.expectRows(usage, usage > 0);
    }
}
