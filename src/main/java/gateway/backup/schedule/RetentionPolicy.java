package gateway.backup.schedule;

import gateway.backup.storage.StoredFile;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which auto-backups to delete (restic's ExpirePolicy): only files named like this schedule's
 * backups ({@code <prefix>yyyy-MM-dd_HH-mm-ss[.incremental].json[.age]}), older than
 * {@code retentionDays} by the time in their name (read in the schedule's timezone); 0 keeps
 * everything, and the newest backup, the one just written and every backup a kept incremental
 * builds on always stay. Manifests are not backups: the caller deletes one with its backup.
 * Called only after a successful run.
 */
public record RetentionPolicy(String prefix, int retentionDays, ZoneId zone) {

    public static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    public RetentionPolicy {
        if (retentionDays < 0) {
            throw new IllegalArgumentException("retentionDays must be >= 0");
        }
    }

    /** The backup's file name for a local time of the schedule's timezone. */
    public String fileName(LocalDateTime at) {
        return fileName(at, false, false);
    }

    /** As above, {@code .incremental.json} for an incremental backup, {@code .age} appended when encrypted. */
    public String fileName(LocalDateTime at, boolean incremental, boolean encrypted) {
        return prefix + at.format(NAME_TIME) + (incremental ? ".incremental" : "") + ".json" + (encrypted ? ".age" : "");
    }

    /** The files to delete, out of a storage listing, at {@code now}; {@code justWritten} is never among them. */
    public List<StoredFile> expired(List<StoredFile> files, String justWritten, Instant now) {
        return expired(files, justWritten, now, Map.of());
    }

    /**
     * As above, where {@code baseOf} maps each incremental backup's name to the backup it builds on
     * (from the manifests): a backup that a kept incremental needs, directly or through other
     * incrementals, is kept too, however old it is.
     */
    public List<StoredFile> expired(List<StoredFile> files, String justWritten, Instant now, Map<String, String> baseOf) {
        List<StoredFile> expired = expiredByAge(files, justWritten, now);
        Set<String> needed = new HashSet<>();
        for (StoredFile file : files) {
            if (expired.contains(file)) {
                continue;
            }
            for (String base = baseOf.get(file.name()); base != null && needed.add(base); base = baseOf.get(base)) {
                // Walks the chain down to its full backup.
            }
        }
        expired.removeIf(file -> needed.contains(file.name()));
        return expired;
    }

    /** The backups among {@code files} (names of this schedule), oldest first. */
    public List<StoredFile> backups(List<StoredFile> files) {
        List<Backup> backups = new ArrayList<>();
        for (StoredFile file : files) {
            timeOf(file.name()).ifPresent(at -> backups.add(new Backup(file, at)));
        }
        backups.sort(Comparator.comparing(Backup::at).thenComparing(b -> b.file().name()));
        return backups.stream().map(Backup::file).toList();
    }

    private List<StoredFile> expiredByAge(List<StoredFile> files, String justWritten, Instant now) {
        List<Backup> backups = new ArrayList<>();
        for (StoredFile file : files) {
            timeOf(file.name()).ifPresent(at -> backups.add(new Backup(file, at)));
        }
        List<StoredFile> expired = new ArrayList<>();
        if (retentionDays == 0 || backups.isEmpty()) {
            return expired;
        }
        Backup newest = backups.stream().max(Comparator.comparing(Backup::at)).orElseThrow();
        Instant cutoff = now.minus(Duration.ofDays(retentionDays));
        for (Backup backup : backups) {
            if (backup != newest && !backup.file().name().equals(justWritten) && backup.at().isBefore(cutoff)) {
                expired.add(backup.file());
            }
        }
        return expired;
    }

    /** The time in a backup's name, or empty for any other file (manifests included). */
    public Optional<Instant> timeOf(String name) {
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(name.substring(prefix.length()));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(m.group(1), NAME_TIME).atZone(zone).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static final Pattern NAME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})(?:\\.incremental)?\\.json(?:\\.gz)?(?:\\.age)?");

    private record Backup(StoredFile file, Instant at) {
    }
}
