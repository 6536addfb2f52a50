/**
 * The service's own settings ({@code gateway-backup.*}, or {@code GATEWAY_BACKUP_*} variables),
 * in one typed mapping with their defaults. Checked at start: a service with a setting that
 * cannot work (a batch of zero rows, say) refuses to start rather than write empty backups.
 */
package gateway.backup.config;
