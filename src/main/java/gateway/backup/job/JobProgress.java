package gateway.backup.job;

/**
 * What a backup or restore tells about itself while it runs: the section it is in, rows as
 * batches pass, bytes written or read. Called from any thread; cheap (a few atomic writes).
 */
public interface JobProgress {

    /** For callers that track nothing. */
    JobProgress NONE = new JobProgress() {
    };

    /** A new phase (e.g. a section name); logged once. */
    default void phase(String phase) {
    }

    /** Adds rows done. */
    default void rows(long rows) {
    }

    /** Adds to the expected total of rows; {@code estimated} when it comes from table statistics. */
    default void expectRows(long rows, boolean estimated) {
    }

    /** Bytes written or read so far (a running total, not an increment). */
    default void bytes(long total) {
    }
}
