/**
 * Auto-backup: settings stored as the gateway's {@code system_auto_backup_settings} JSON, a
 * rescheduling cron job in the gateway's timezone, runs that stream the backup into a storage,
 * verify it and apply retention, and a PostgreSQL claim per schedule slot plus an advisory lock so
 * replicas make one file per schedule and never run two backups at once.
 * Never leaves a partial file (abort on any failure), never deletes files that are not this
 * schedule's backups or the newest one, never puts a secret or a raw SDK message in last_backup_error.
 */
package gateway.backup.schedule;
