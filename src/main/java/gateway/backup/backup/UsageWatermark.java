package gateway.backup.backup;

import gateway.backup.domain.BackupSnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a backup's usage rows end, so that the next incremental backup starts there without a gap.
 * <p>
 * Why not just "id > the largest id in the previous file": ids come from a sequence when a row is
 * inserted, not when its transaction commits. A gateway transaction that took id 100, then stayed
 * open while the backup's snapshot was taken (rows up to 150 visible), commits row 100 after the
 * backup: "id > 150" would never back it up. So the watermark also keeps what the snapshot could
 * not see: its {@code xmax} (first transaction id not yet started) and its in-progress transaction
 * ids ({@code pg_snapshot_xip}). A row with id &lt;= the previous maximum that the previous snapshot
 * did not see was written by one of those in-progress transactions or by one that got its
 * transaction id later (xid &gt;= xmax); the next incremental finds the lowest id of such rows by
 * their {@code xmin} and starts there. The rows between that id and the previous maximum come
 * again (overlap, which restore de-duplicates) instead of being missed (a gap, which is data loss).
 * Rows updated since the previous snapshot also match (an update writes a new xmin): the file
 * then carries their newer version. Finding that lowest id scans the rows up to the previous
 * maximum once per incremental run (PostgreSQL has no index on xmin).
 */
public record UsageWatermark(long maxRequestId, long maxLogId, long snapshotXmax, List<Long> inProgress) {

    /** The watermark of the current transaction's snapshot; call inside the backup's repeatable-read transaction. */
    static Uni<UsageWatermark> ofCurrentSnapshot() {
        return Panache.getSession().chain(BackupSnapshot::visibility)
                .map(row -> {
                    List<Long> xip = new ArrayList<>();
                    for (String x : row.inProgress().split(",")) {
                        if (!x.isEmpty()) {
                            xip.add(Long.parseLong(x));
                        }
                    }
                    return new UsageWatermark(row.maxRequestId(), row.maxLogId(), Long.parseLong(row.xmax()), List.copyOf(xip));
                });
    }

    /**
     * The id after which the next incremental reads usage requests: just below the lowest row the
     * snapshot of this watermark could not see, else this watermark's maximum.
     */
    Uni<Long> requestsStartAfter() {
        return Panache.getSession().chain(s -> BackupSnapshot.firstRequestNotSeen(s, maxRequestId, inProgress32(), xmax32()))
                .map(first -> first - 1);
    }

    /** As {@link #requestsStartAfter()}, for usage logs. */
    Uni<Long> logsStartAfter() {
        return Panache.getSession().chain(s -> BackupSnapshot.firstLogNotSeen(s, maxLogId, inProgress32(), xmax32()))
                .map(first -> first - 1);
    }

    // xmin is a 32-bit xid; the watermark keeps 64-bit ones (xid8): compare modulo 2^32.
    private List<Long> inProgress32() {
        return inProgress.stream().map(x -> x & 0xffffffffL).toList();
    }

    private long xmax32() {
        return snapshotXmax & 0xffffffffL;
    }
}
