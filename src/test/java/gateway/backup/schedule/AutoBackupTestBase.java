package gateway.backup.schedule;

import gateway.backup.TestDatabase;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the auto-backup tests share: the beans they drive and a fresh start before each test. */
abstract class AutoBackupTestBase {

    @Inject
    TestDatabase db;

    @Inject
    TestClock clock;

    @Inject
    AutoBackupSchedule schedule;

    @Inject
    AutoBackupRunner runner;

    @Inject
    AgroalDataSource dataSource;

    /** The directory of the test's fs storage, and that storage's id. */
    Path dir;
    long storageId;

    /**
     * Waits for a run to end, then starts fresh: the clock reset, the database holding the backup
     * dataset and no runs. Answers a new directory for an fs storage.
     */
    Path startFresh(String directoryPrefix) throws IOException {
        AutoBackupTests.awaitTrue(() -> !runner.isRunning(), "the run to end");
        clock.reset();
        db.reset();
        db.execute("truncate gateway_backup_runs");
        db.runScript("/backup-dataset.sql");
        return Files.createTempDirectory(directoryPrefix);
    }
}
