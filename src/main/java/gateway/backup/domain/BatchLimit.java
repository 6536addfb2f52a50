package gateway.backup.domain;

/**
 * How much one batch of rows (backup) or file elements (restore) may hold: at most
 * {@code rows} of them, and no more once their JSON reaches {@code bytes} (a batch has at
 * least one), so that rows with large request and response payloads do not multiply the
 * memory a batch takes.
 */
public record BatchLimit(int rows, long bytes) {

    /** The same number of rows, not cut by bytes: for rows that are small by nature. */
    public BatchLimit rowsOnly() {
        return new BatchLimit(rows, Long.MAX_VALUE);
    }

    boolean cutsByBytes() {
        return bytes != Long.MAX_VALUE;
    }
}
