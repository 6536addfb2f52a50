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
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which auto-backups to delete (restic's ExpirePolicy): only files named like this schedule's
 * backups ({@code <prefix>yyyy-MM-dd_HH-mm-ss.json}), older than {@code retentionDays} by the time
 * in their name (read in the schedule's timezone); 0 keeps everything, and the newest backup and
 * the one just written always stay. Called only after a successful run.
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
        return prefix + at.format(NAME_TIME) + ".json";
    }

    /** The files to delete, out of a storage listing, at {@code now}; {@code justWritten} is never among them. */
    public List<StoredFile> expired(List<StoredFile> files, String justWritten, Instant now) {
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

    /** The time in a backup's name, or empty for any other file. */
    Optional<Instant> timeOf(String name) {
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

    private static final Pattern NAME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})\\.json");

    private record Backup(StoredFile file, Instant at) {
    }
}
