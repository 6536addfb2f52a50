/**
 * The manifest stored beside each auto-backup ({@code <name>.manifest.json}: what the file holds,
 * its size and SHA-256) and the verifier that reads a whole backup file (decrypting and
 * decompressing in the spool) to check its structure, counts and checksum. Verifying never writes
 * to the database; files it spools are deleted when it ends.
 */
package gateway.backup.manifest;
