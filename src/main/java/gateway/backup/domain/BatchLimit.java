package gateway.backup.domain;

/**
 * How much one keyset batch may hold: at most {@code rows} rows, and no more rows once their
 * JSON reaches {@code bytes} (a batch has at least one row), so that rows with large request
 * and response payloads do not multiply the memory a batch takes.
 */
public record BatchLimit(int rows, long bytes) {
}
