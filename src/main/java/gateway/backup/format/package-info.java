/**
 * The backup file format shared by backup and restore: version, section names and order,
 * reference field names. Holds no I/O; the writer and the reader live in their own packages.
 */
package gateway.backup.format;
