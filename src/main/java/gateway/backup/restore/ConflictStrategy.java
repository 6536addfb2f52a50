package gateway.backup.restore;

/** What restore does when a row with the same natural key already exists. */
public enum ConflictStrategy {
    /** keep the existing row */
    skip,
    /** replace the existing row's values with the file's */
    overwrite,
    /** abort the whole restore (nothing is written) */
    error
}
