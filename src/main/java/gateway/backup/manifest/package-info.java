/**
 * The manifest stored beside each auto-backup ({@code <name>.manifest.json}: what the file holds,
 * its stored size and SHA-256, recipients, chain base and usage watermark) and SHA-256 helpers.
 * A manifest never holds a secret, and is never taken for a backup itself. Verifying a file
 * against it is restore/BackupVerifier's job (it reads like a restore, without writing).
 */
package gateway.backup.manifest;
