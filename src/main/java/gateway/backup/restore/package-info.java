/**
 * Restore: source → reader → resolver → writer. The file is spooled to the private spool directory
 * (Spool: capped in total and, once decompressed, per file), checked and indexed once with every
 * element measured against the element limits before any is built (BackupReader), then its sections are read in dependency order a batch at a time on a
 * worker thread and written on the event loop, all in one transaction: any error rolls back
 * everything. Usage sections are read straight into typed rows (UsageReader) and written with
 * one set-based statement per batch while the worker reads the next. Never holds the file in
 * memory; old request ids map to new ones as bounded runs in memory (RequestIds), past them in a
 * temporary table. On SIGTERM (ShutdownSignal) a
 * restore in progress fails at its next batch and rolls back. Warnings and errors never contain
 * API key values or credentials.
 */
package gateway.backup.restore;
