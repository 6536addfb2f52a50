/**
 * Blocking work off the event loop: every file and storage SDK call goes through
 * {@link gateway.backup.worker.Workers#blocking}, which runs it on a worker thread and resumes on
 * the caller's Vert.x context. Nothing here may block the event loop itself.
 */
package gateway.backup.worker;
