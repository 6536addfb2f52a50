package gateway.backup.schedule;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.domain.BackupRuns;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * The auto-backup schedule: a programmatic scheduler job at the configured cron in the gateway's
 * timezone (re-read every minute and after each settings change, and the job rescheduled when it
 * changed). Each firing decides by that timezone's date whether a run is due (daily, Sundays,
 * the 1st), then claims the firing's slot in {@code gateway_backup_runs}: only the replica whose
 * insert succeeds runs it, so replicas firing together or seconds apart make one file.
 */
@ApplicationScoped
public class AutoBackupSchedule {

    static final String JOB = "gateway-backup-auto-backup";

    private final Scheduler scheduler;
    private final AutoBackupSettingsStore store;
    private final AutoBackupRunner runner;
    private final Pool pool;
    private final Clock clock;
    private final String cron;
    private final String instance;
    private ZoneId zone;

    AutoBackupSchedule(Scheduler scheduler, AutoBackupSettingsStore store, AutoBackupRunner runner, Pool pool, Clock clock,
            GatewayBackupConfig config) {
        this.scheduler = scheduler;
        this.store = store;
        this.runner = runner;
        this.pool = pool;
        this.clock = clock;
        this.cron = config.autoBackup().cron();
        this.instance = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("") + "/" + UUID.randomUUID();
        this.zone = ZoneId.of(config.autoBackup().timezone());
    }

    void onStart(@Observes StartupEvent event) {
        scheduleAt(zone);
        refresh().subscribe().with(ok -> {
        }, failure -> Log.warnf("auto-backup: could not read the timezone: %s", failure.getClass().getSimpleName()));
    }

    /** Re-reads the gateway's timezone and reschedules the job if it changed. */
    @Scheduled(every = "60s", delayed = "60s", identity = "gateway-backup-auto-backup-timezone")
    public Uni<Void> refresh() {
        return store.timezone().invoke(this::scheduleAt).replaceWithVoid();
    }

    private synchronized void scheduleAt(ZoneId newZone) {
        if (newZone.equals(zone) && scheduler.getScheduledJob(JOB) != null) {
            return;
        }
        scheduler.unscheduleJob(JOB);
        scheduler.newJob(JOB).setCron(cron).setTimeZone(newZone.getId())
                .setAsyncTask(execution -> fire(execution.getScheduledFireTime()))
                .schedule();
        zone = newZone;
        Log.infof("auto-backup: scheduled at '%s' in %s", cron, newZone);
    }

    /** When the job fires next, and in which timezone it was scheduled. */
    public synchronized Instant nextFireTime() {
        Trigger trigger = scheduler.getScheduledJob(JOB);
        return trigger == null ? null : trigger.getNextFireTime();
    }

    /** What a firing does, at the clock's current time (tests stand the clock where they need). */
    public Uni<Void> fireNow() {
        return fire(clock.instant());
    }

    /** A firing at its nominal time: runs if enabled, due on that date, and this replica claims the slot. */
    Uni<Void> fire(Instant firedAt) {
        return store.read().chain(settings -> {
            if (!settings.enabled()) {
                return Uni.createFrom().voidItem();
            }
            return store.timezone().chain(zone -> {
                ZonedDateTime at = firedAt.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
                LocalDate date = at.toLocalDate();
                if (!settings.frequency().isDueOn(date)) {
                    Log.debugf("auto-backup: %s is not a %s backup day in %s", date, settings.frequency(), zone);
                    return Uni.createFrom().voidItem();
                }
                String slot = at.toLocalDateTime() + " " + zone.getId();
                return claim(slot).chain(claimed -> {
                    if (!claimed) {
                        Log.infof("auto-backup: the run of %s was claimed already (by another replica, or an earlier firing)", slot);
                        return Uni.createFrom().voidItem();
                    }
                    return runner.runScheduled(settings, zone);
                });
            });
        });
    }

    /** Inserts the slot; true only for the one replica whose insert went in. */
    private Uni<Boolean> claim(String slot) {
        return BackupRuns.claim(pool, slot, instance);
    }
}
