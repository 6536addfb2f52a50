/**
 * Backup: repository → writer → sink. One read-only REPEATABLE READ transaction gives the
 * whole file one snapshot; every section is read in keyset batches of JSON rows built by
 * PostgreSQL (as UTF-8 bytes), appended unchanged after a Jackson JsonGenerator's structure and
 * handed to the sink batch by batch (waiting for the sink, so a slow client slows the reads)
 * while PostgreSQL builds the next batch.
 * Never holds more than two batches (each at most 2000 rows or 1 MiB of JSON, by default).
 */
package gateway.backup.backup;
