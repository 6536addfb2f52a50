/**
 * One entity per gateway table and its Panache repository, and all of the service's SQL: no
 * statement text lives outside this package. Statements of one table are named methods of its
 * repository (e.g. the restore's name → id look-ups, rows mapped by {@link gateway.backup.domain.NameId});
 * those spanning tables or outside Hibernate have small classes of their own ({@link
 * gateway.backup.domain.UsageRestoreStatements}, {@link gateway.backup.domain.AdvisoryLocks}, {@link
 * gateway.backup.domain.BackupSnapshot}, {@link gateway.backup.domain.SystemSettingRows}, {@link
 * gateway.backup.domain.DataStorageRows}, {@link gateway.backup.domain.BackupRuns}). Callers keep the
 * decisions; table names are never passed in to be concatenated.
 * <p>
 * Table and column names are the gateway's own; jsonb columns are {@code JsonNode}
 * so nested JSON round-trips unchanged. Soft-deleted rows ({@code deleted_at <> 0})
 * are invisible to every finder here. Usage tables are never listed whole:
 * they are read in keyset batches by id.
 */
package gateway.backup.domain;
