package gateway.backup.job;

/** How a job ended, or that it has not yet. */
public enum JobOutcome {
    running, succeeded, failed
}
