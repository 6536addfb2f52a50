/**
 * Where backup files are kept: one {@link gateway.backup.storage.BackupStorage} contract and an
 * implementation per {@code data_storages.type}, configured by the storage's {@code settings}
 * JSON exactly as the gateway stores it.
 * <p>
 * A write is all or nothing: a file is visible only once complete and verified (size, and a
 * checksum where the store keeps one; complete() says which it compared, so a caller reads the
 * file back only when the content was not checked); a failed or aborted write leaves nothing behind.
 * Storage keys and passwords never reach a log line or an error message.
 * Every call blocks: run it on a worker thread.
 */
package gateway.backup.storage;
