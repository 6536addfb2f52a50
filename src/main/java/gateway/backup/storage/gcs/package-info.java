/**
 * The {@code gcs} storage: a Google Cloud Storage bucket through google-cloud-storage, a
 * resumable upload in bounded chunks, verified by size, MD5 and CRC32C after it is finalised.
 * Not exercised against a GCS server (none can run on the build machines); see README.
 * Never puts the service-account key into a message, a log line or {@code toString()}.
 */
package gateway.backup.storage.gcs;
