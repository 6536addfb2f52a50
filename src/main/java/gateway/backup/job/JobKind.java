package gateway.backup.job;

/** Where a job came from. */
public enum JobKind {
    EXPORT("export"),
    BACKUP("backup"),
    IMPORT("import"),
    RESTORE("restore"),
    AUTO_BACKUP("auto-backup"),
    RESTORE_FROM_STORAGE("restore-from-storage");

    private final String label;

    JobKind(String label) {
        this.label = label;
    }

    /** The name clients see in {@code BackupJob.kind}. */
    public String label() {
        return label;
    }
}
