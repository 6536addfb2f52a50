/**
 * One entity per gateway table and its Panache repository.
 * <p>
 * Table and column names are the gateway's own; jsonb columns are {@code JsonNode}
 * so nested JSON round-trips unchanged. Soft-deleted rows ({@code deleted_at <> 0})
 * are invisible to every finder here. Usage tables are never listed whole:
 * they are read in keyset batches by id.
 */
package gateway.backup.domain;
