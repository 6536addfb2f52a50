package gateway.backup.backup;

/** What a backup file contains (SPEC section 8, BackupOptionsInput). */
public record BackupOptions(
        boolean includeProjects,
        boolean includeChannels,
        boolean includeModels,
        boolean includeModelPrices,
        boolean includeAPIKeys,
        boolean includeUsageStats,
        boolean includeRequestLogs) {
}
