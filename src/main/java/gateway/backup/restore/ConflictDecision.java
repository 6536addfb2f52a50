package gateway.backup.restore;

/** What restore does with one element: a pure function of the conflict strategy and whether its natural key matched a row. */
enum ConflictDecision {
    /** no row has the key: insert the file's */
    create,
    /** keep the existing row */
    skip,
    /** replace the existing row's values with the file's */
    update,
    /** abort the whole restore (nothing is written) */
    fail;

    static ConflictDecision of(ConflictStrategy strategy, boolean exists) {
        if (!exists) {
            return create;
        }
        return switch (strategy) {
            case skip -> skip;
            case overwrite -> update;
            case error -> fail;
        };
    }
}
