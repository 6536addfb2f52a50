package gateway.backup.job;

import gateway.backup.metrics.Stopwatch;
import io.quarkus.logging.Log;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One backup or restore while it runs and after it ended. Updated by the work from any thread
 * (atomics and volatile fields, no locks), read as {@link BackupJob} snapshots.
 */
public final class Job implements JobProgress {

    private final String id;
    private final JobKind kind;
    private final Instant startedAt;
    private final AtomicLong rowsDone = new AtomicLong();
    private final AtomicLong rowsTotal = new AtomicLong(-1);
    private final AtomicLong bytes = new AtomicLong();
    private final Stopwatch stopwatch = Stopwatch.start();
    private volatile boolean totalEstimated;
    private volatile String phase = "starting";
    private volatile Instant endedAt;
    private volatile JobOutcome outcome = JobOutcome.running;
    private volatile String message;

    Job(String id, JobKind kind, Instant startedAt) {
        this.id = id;
        this.kind = kind;
        this.startedAt = startedAt;
    }

    public String id() {
        return id;
    }

    public JobKind kind() {
        return kind;
    }

    public boolean finished() {
        return outcome != JobOutcome.running;
    }

    @Override
    public void phase(String phase) {
        if (!finished() && !phase.equals(this.phase)) {
            this.phase = phase;
            Log.infof("job %s (%s): %s, %d rows so far", id, kind.label(), phase, rowsDone.get());
        }
    }

    @Override
    public void rows(long rows) {
        rowsDone.addAndGet(rows);
    }

    @Override
    public void expectRows(long rows, boolean estimated) {
        if (rows < 0) {
            return;
        }
        rowsTotal.accumulateAndGet(rows, (now, add) -> now < 0 ? add : now + add);
        if (estimated) {
            totalEstimated = true;
        }
    }

    @Override
    public void bytes(long total) {
        bytes.set(total);
    }

    /** Ends the job well; later calls change nothing. */
    public synchronized void succeed(String message) {
        end(JobOutcome.succeeded, message);
    }

    /** Ends the job with a message for the operator (never a secret); later calls change nothing. */
    public synchronized void fail(String message) {
        end(JobOutcome.failed, message);
    }

    private void end(JobOutcome how, String message) {
        if (finished()) {
            return;
        }
        this.message = message;
        this.endedAt = Instant.now();
        this.phase = how == JobOutcome.succeeded ? "done" : "failed";
        this.outcome = how;
        Log.infof("job %s (%s): %s after %d ms, %d rows, %d bytes%s", id, kind.label(), how,
                stopwatch.millis(), rowsDone.get(), bytes.get(),
                message == null ? "" : ": " + message);
    }

    /** The job as it is now. */
    public BackupJob snapshot() {
        long total = rowsTotal.get();
        return new BackupJob(id, kind.label(), phase, rowsDone.get(), total < 0 ? null : total, totalEstimated,
                bytes.get(), startedAt, endedAt, outcome.name(), message);
    }
}
