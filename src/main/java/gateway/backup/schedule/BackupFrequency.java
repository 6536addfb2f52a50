package gateway.backup.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;

/** How often the auto-backup runs (docs/graphql-api.md, enum BackupFrequency); the job fires daily and asks this. */
public enum BackupFrequency {
    daily,
    weekly,
    monthly;

    /** Whether a run is due on this date of the schedule's timezone: every day, Sundays, or the 1st. */
    public boolean isDueOn(LocalDate date) {
        return switch (this) {
            case daily -> true;
            case weekly -> date.getDayOfWeek() == DayOfWeek.SUNDAY;
            case monthly -> date.getDayOfMonth() == 1;
        };
    }
}
