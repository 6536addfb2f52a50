/**
 * Backup: repository → writer → sink. One read-only REPEATABLE READ transaction gives the
 * whole file one snapshot; every section is read in keyset batches of JSON rows built by
 * PostgreSQL, appended by a Jackson JsonGenerator and handed to the sink batch by batch,
 * waiting for the sink before the next read. Never holds more than one batch in memory.
 */
package gateway.backup.backup;
