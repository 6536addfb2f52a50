package gateway.backup.job;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;

/** A job as GraphQL shows it (docs/graphql-api.md, type BackupJob): one snapshot, never updated. */
public class BackupJob {

    @Id
    @NonNull
    public final String id;
    @NonNull
    @Description("export, backup, import, restore, auto-backup or restore-from-storage")
    public final String kind;
    @NonNull
    @Description("starting, then the section being written or read, then done or failed")
    public final String phase;
    public final long rowsDone;
    @Description("Rows expected, when known; an estimate from table statistics when rowsTotalEstimated is true")
    public final Long rowsTotal;
    public final boolean rowsTotalEstimated;
    @Description("Bytes written (backup) or in the file (restore) so far")
    public final long bytes;
    @NonNull
    public final OffsetDateTime startedAt;
    public final OffsetDateTime endedAt;
    @Description("running, succeeded or failed")
    public final String outcome;
    public final String message;

    BackupJob(String id, String kind, String phase, long rowsDone, Long rowsTotal, boolean rowsTotalEstimated,
            long bytes, Instant startedAt, Instant endedAt, String outcome, String message) {
        this.id = id;
        this.kind = kind;
        this.phase = phase;
        this.rowsDone = rowsDone;
        this.rowsTotal = rowsTotal;
        this.rowsTotalEstimated = rowsTotalEstimated;
        this.bytes = bytes;
        this.startedAt = startedAt.atOffset(ZoneOffset.UTC);
        this.endedAt = endedAt == null ? null : endedAt.atOffset(ZoneOffset.UTC);
        this.outcome = outcome;
        this.message = message;
    }

    /** True once the job has ended: the last snapshot a subscriber gets. */
    public boolean ended() {
        return !JobOutcome.running.name().equals(outcome);
    }

    /** Nothing a subscriber would see has changed. */
    boolean sameAs(BackupJob other) {
        return other != null && rowsDone == other.rowsDone && bytes == other.bytes && phase.equals(other.phase)
                && Objects.equals(rowsTotal, other.rowsTotal) && Objects.equals(outcome, other.outcome);
    }
}
