/**
 * The {@code s3} storage: any S3-compatible store through the AWS SDK v2 (JDK HTTP client).
 * Writes go through one bounded part buffer as a multipart upload, aborted on any failure, and
 * are verified by size and MD5 ETag after completion. Every call blocks: run it on a worker.
 * Never puts an access key or secret key into a message, a log line or {@code toString()}.
 */
package gateway.backup.storage.s3;
