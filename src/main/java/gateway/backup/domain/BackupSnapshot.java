package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The statements of a backup's transaction besides the tables' own reads: its snapshot, what that
 * snapshot could not see (backup.UsageWatermark says why that matters), and the row estimate of its
 * job's progress.
 */
public final class BackupSnapshot {

    private BackupSnapshot() {
    }

    /** First statements of the transaction: the whole file reads one snapshot, times in UTC. */
    public static Uni<Void> begin(Mutiny.Session s) {
        return s.createNativeQuery("set transaction isolation level repeatable read, read only").executeUpdate()
                .chain(() -> s.createNativeQuery("set local time zone 'UTC'").executeUpdate())
                .replaceWithVoid();
    }

    /**
     * The current snapshot's {@code xmax} and in-progress transaction ids (comma-separated, as text:
     * xid8 has no Java type here), and the usage tables' largest ids (0 when empty).
     */
    public record Visibility(String xmax, String inProgress, long maxRequestId, long maxLogId) {
        static Visibility of(Object[] row) {
            return new Visibility((String) row[0], (String) row[1], ((Number) row[2]).longValue(), ((Number) row[3]).longValue());
        }
    }

    public static Uni<Visibility> visibility(Mutiny.Session s) {
        return s.createNativeQuery("select "
                + "pg_snapshot_xmax(pg_current_snapshot())::text, "
                + "coalesce((select string_agg(x::text, ',') from pg_snapshot_xip(pg_current_snapshot()) x), ''), "
                + "coalesce((select max(id) from requests), 0), "
                + "coalesce((select max(id) from usage_logs), 0)", Object[].class).getSingleResult()
                .map(Visibility::of);
    }

    /**
     * The lowest request id up to {@code max} written by a transaction a snapshot could not see: one of
     * {@code inProgress} or one from {@code xmax} on (32-bit xids); {@code max + 1} when there is none.
     */
    public static Uni<Long> firstRequestNotSeen(Mutiny.Session s, long max, List<Long> inProgress, long xmax) {
        return firstNotSeen(s, "select coalesce(min(id), " + (max + 1) + ") from requests where id <= " + max, inProgress, xmax);
    }

    /** As {@link #firstRequestNotSeen}, for usage logs. */
    public static Uni<Long> firstLogNotSeen(Mutiny.Session s, long max, List<Long> inProgress, long xmax) {
        return firstNotSeen(s, "select coalesce(min(id), " + (max + 1) + ") from usage_logs where id <= " + max, inProgress, xmax);
    }

    // Every value here is a number this service read from PostgreSQL, written as a literal.
    private static Uni<Long> firstNotSeen(Mutiny.Session s, String select, List<Long> inProgress, long xmax) {
        List<String> xip = new ArrayList<>();
        inProgress.forEach(x -> xip.add(Long.toString(x)));
        String sql = select + " and ((xmin::text::bigint) = any('{" + String.join(",", xip) + "}'::bigint[])"
                + " or age(xmin) <= age('" + xmax + "'::xid))";
        return s.createNativeQuery(sql, Object.class).getSingleResult().map(first -> ((Number) first).longValue());
    }

    /** The job's expected rows: the included configuration tables' live rows, counted; usage, estimated (null when never analysed). */
    public record RowEstimate(long configuration, Long usage) {
        static RowEstimate of(Object[] row) {
            return new RowEstimate(((Number) row[0]).longValue(), row[1] == null ? null : ((Number) row[1]).longValue());
        }
    }

    /**
     * Configuration tables counted exactly (small), usage tables estimated from PostgreSQL's statistics
     * ({@code pg_class.reltuples}), so that no count walks millions of rows. One query.
     */
    public static Uni<RowEstimate> rowEstimate(Mutiny.Session s, boolean projects, boolean channels, boolean models,
            boolean modelPrices, boolean apiKeys, boolean usage) {
        List<String> exact = new ArrayList<>();
        exact.add("0");
        if (projects) {
            exact.add("(select count(*) from projects where deleted_at = 0)");
        }
        if (channels) {
            exact.add("(select count(*) from channels where deleted_at = 0)");
        }
        if (models) {
            exact.add("(select count(*) from models where deleted_at = 0)");
        }
        if (modelPrices) {
            exact.add("(select count(*) from channel_model_prices where deleted_at = 0)");
        }
        if (apiKeys) {
            exact.add("(select count(*) from api_keys where deleted_at = 0)");
        }
        // reltuples is -1 for a table never analysed: then the usage total is unknown.
        String usageSql = usage
                ? "(select case when min(reltuples) < 0 then null else sum(reltuples)::bigint end from pg_class "
                        + "where oid in ('requests'::regclass, 'usage_logs'::regclass))"
                : "0::bigint";
        return s.createNativeQuery("select (" + String.join(" + ", exact) + ")::bigint, " + usageSql).getSingleResult()
                .map(row -> RowEstimate.of((Object[]) row));
    }
}
