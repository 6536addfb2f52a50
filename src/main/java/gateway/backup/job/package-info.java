/**
 * Backup and restore jobs: every export, GraphQL backup, import, GraphQL restore, auto-backup and
 * restore from storage registers a {@link gateway.backup.job.Job} that the work updates through
 * {@link gateway.backup.job.JobProgress} (phase, rows per batch, bytes). The registry keeps the
 * most recent jobs in memory only (bounded); progress is read by polling snapshots, so the work
 * never waits for a reader. A job's message must never carry a key, a password or a credential.
 */
package gateway.backup.job;
