package gateway.backup.job;

import gateway.backup.config.GatewayBackupConfig;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The recent jobs of this replica, newest first, in memory and bounded: the oldest job is
 * forgotten when a new one would pass the limit (a running one too; it keeps running).
 */
@ApplicationScoped
public class JobRegistry {

    private final int keep;
    private final Duration progressInterval;
    private final AtomicLong ids = new AtomicLong();
    // Newest first; guarded by itself.
    private final Deque<Job> jobs = new ArrayDeque<>();

    JobRegistry(GatewayBackupConfig config) {
        this.keep = config.jobs().keep();
        this.progressInterval = config.jobs().progressInterval();
    }

    /** Registers a new running job. */
    public Job start(JobKind kind) {
        Job job = new Job(String.valueOf(ids.incrementAndGet()), kind, Instant.now());
        synchronized (jobs) {
            jobs.addFirst(job);
            while (jobs.size() > keep) {
                jobs.removeLast();
            }
        }
        job.phase("started");
        return job;
    }

    /** The most recent jobs, newest first. */
    public List<BackupJob> recent(int limit) {
        List<BackupJob> recent = new ArrayList<>();
        synchronized (jobs) {
            Iterator<Job> newestFirst = jobs.iterator();
            while (newestFirst.hasNext() && recent.size() < limit) {
                recent.add(newestFirst.next().snapshot());
            }
        }
        return recent;
    }

    public Optional<Job> find(String id) {
        synchronized (jobs) {
            return jobs.stream().filter(job -> job.id().equals(id)).findFirst();
        }
    }

    /**
     * The job's state now, then whenever it changed, at most once per progress interval, ending
     * with its final state. Polls snapshots: the work never waits for a slow subscriber, which
     * only misses intermediate states.
     */
    public Multi<BackupJob> progress(Job job) {
        AtomicReference<BackupJob> last = new AtomicReference<>();
        AtomicBoolean ended = new AtomicBoolean();
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(progressInterval)
                .onOverflow().drop()
                .select().first(tick -> !ended.get())
                .map(tick -> job.snapshot())
                .select().where(now -> !now.sameAs(last.getAndSet(now)))
                .invoke(now -> ended.set(now.ended()));
    }
}
