/**
 * age encryption (age-encryption.org/v1, X25519 recipients) with jagged's streaming channels:
 * backups are encrypted while they are written and decrypted while they are read, 64 KiB at a
 * time. Recipients (public keys) come from settings; identities (secret keys) only from the file
 * an operator mounts. Never logs, echoes or stores an identity, and never holds a file in memory.
 */
package gateway.backup.crypto;
