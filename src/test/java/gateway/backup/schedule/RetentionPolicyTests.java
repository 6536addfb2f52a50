package gateway.backup.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gateway.backup.storage.StoredFile;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTests {

    static final Instant NOW = Instant.parse("2026-11-26T02:00:30Z");
    static final Instant MODIFIED = Instant.parse("2026-11-26T02:00:00Z");
    static final ZoneId UTC = ZoneId.of("UTC");

    static StoredFile file(String name) {
        // Every file modified just now (copied to a new volume): the name's time decides.
        return new StoredFile(name, 100, MODIFIED);
    }

    static List<String> names(List<StoredFile> files) {
        return files.stream().map(StoredFile::name).sorted().toList();
    }

    @Test
    void shouldDeleteOnlyOldBackupsWithThePrefix() {
        RetentionPolicy policy = new RetentionPolicy("axonhub-backup-", 7, UTC);
        List<StoredFile> files = List.of(
                file("axonhub-backup-2026-11-26_02-00-00.json"),
                file("axonhub-backup-2026-11-20_02-00-00.json"),
                file("axonhub-backup-2026-11-19_01-59-59.json"),
                file("axonhub-backup-2026-10-01_02-00-00.json"),
                file("other-backup-2026-01-01_02-00-00.json"),
                file("axonhub-backup-notes.txt"),
                file("axonhub-backup-2026-01-01_02-00-00.json.bak"),
                file("axonhub-backup-2026-13-01_02-00-00.json"),
                file("manual-export.json"));
        assertEquals(List.of("axonhub-backup-2026-10-01_02-00-00.json", "axonhub-backup-2026-11-19_01-59-59.json"),
                names(policy.expired(files, "axonhub-backup-2026-11-26_02-00-00.json", NOW)));
    }

    @Test
    void shouldKeepEverythingWhenRetentionIsZero() {
        RetentionPolicy policy = new RetentionPolicy("axonhub-backup-", 0, UTC);
        List<StoredFile> files = List.of(file("axonhub-backup-2020-01-01_02-00-00.json"),
                file("axonhub-backup-2026-11-26_02-00-00.json"));
        assertEquals(List.of(), policy.expired(files, "axonhub-backup-2026-11-26_02-00-00.json", NOW));
    }

    @Test
    void shouldNeverDeleteTheNewestBackupOrTheOneJustWritten() {
        RetentionPolicy policy = new RetentionPolicy("axonhub-backup-", 1, UTC);
        // All old: the newest of them stays, and so does the one just written, wherever it sorts.
        List<StoredFile> files = List.of(file("axonhub-backup-2026-01-01_02-00-00.json"),
                file("axonhub-backup-2026-02-01_02-00-00.json"), file("axonhub-backup-2026-03-01_02-00-00.json"));
        assertEquals(List.of("axonhub-backup-2026-02-01_02-00-00.json"),
                names(policy.expired(files, "axonhub-backup-2026-01-01_02-00-00.json", NOW)));
        assertEquals(List.of(), policy.expired(List.of(file("axonhub-backup-2026-01-01_02-00-00.json")), "x", NOW));
    }

    @Test
    void shouldReadTheNameTimeInTheSchedulesTimezone() {
        // 2026-11-19 09:00 at Shanghai is 01:00Z: older than 7 days at 02:00:30Z on the 26th; at UTC it is not.
        List<StoredFile> files = List.of(file("axonhub-backup-2026-11-19_09-00-00.json"),
                file("axonhub-backup-2026-11-26_10-00-00.json"));
        assertEquals(List.of("axonhub-backup-2026-11-19_09-00-00.json"),
                names(new RetentionPolicy("axonhub-backup-", 7, ZoneId.of("Asia/Shanghai")).expired(files, "", NOW)));
        assertEquals(List.of(), new RetentionPolicy("axonhub-backup-", 7, UTC).expired(files, "", NOW));
    }

    @Test
    void shouldNameFilesWithThePrefixAndLocalTime() {
        RetentionPolicy policy = new RetentionPolicy("nightly-", 3, UTC);
        assertEquals("nightly-2026-12-01_02-00-00.json",
                policy.fileName(java.time.LocalDateTime.parse("2026-12-01T02:00:00")));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy("x", -1, UTC));
    }

    @Test
    void shouldKeepEveryBackupAKeptIncrementalBuildsOnAndNeverTakeAManifestForABackup() {
        RetentionPolicy policy = new RetentionPolicy("axonhub-backup-", 7, UTC);
        List<StoredFile> files = List.of(
                file("axonhub-backup-2026-10-01_02-00-00.json"),
                file("axonhub-backup-2026-10-01_02-00-00.json.manifest.json"),
                file("axonhub-backup-2026-11-01_02-00-00.json.age"),
                file("axonhub-backup-2026-11-10_02-00-00.incremental.json.age"),
                file("axonhub-backup-2026-11-25_02-00-00.incremental.json.age"),
                file("axonhub-backup-2026-11-26_02-00-00.incremental.json.age"));
        Map<String, String> bases = Map.of(
                "axonhub-backup-2026-11-10_02-00-00.incremental.json.age", "axonhub-backup-2026-11-01_02-00-00.json.age",
                "axonhub-backup-2026-11-25_02-00-00.incremental.json.age", "axonhub-backup-2026-11-10_02-00-00.incremental.json.age",
                "axonhub-backup-2026-11-26_02-00-00.incremental.json.age", "axonhub-backup-2026-11-25_02-00-00.incremental.json.age");
        // Without the chain, age alone would delete the full backup and the first incremental.
        assertEquals(List.of("axonhub-backup-2026-10-01_02-00-00.json", "axonhub-backup-2026-11-01_02-00-00.json.age",
                "axonhub-backup-2026-11-10_02-00-00.incremental.json.age"),
                names(policy.expired(files, "axonhub-backup-2026-11-26_02-00-00.incremental.json.age", NOW)));
        assertEquals(List.of("axonhub-backup-2026-10-01_02-00-00.json"),
                names(policy.expired(files, "axonhub-backup-2026-11-26_02-00-00.incremental.json.age", NOW, bases)));
    }
}
