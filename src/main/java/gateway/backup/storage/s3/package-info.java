/**
 * The {@code s3} storage: any S3-compatible store through the AWS SDK v2 (JDK HTTP client).
 * Writes are multipart uploads whose parts are sent by the upload's own threads while the caller
 * fills the next (at most 3 part buffers), aborted on any failure, and verified by size and MD5
 * ETag after completion. Every call blocks: run it on a worker, never on the event loop.
 * Never puts an access key or secret key into a message, a log line or {@code toString()}.
 */
package gateway.backup.storage.s3;
