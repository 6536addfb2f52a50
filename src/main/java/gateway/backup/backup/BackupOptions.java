package gateway.backup.backup;

/** What a backup file contains (docs/graphql-api.md, BackupOptionsInput; docs/http-api.md). */
public record BackupOptions(
        boolean includeProjects,
        boolean includeChannels,
        boolean includeModels,
        boolean includeModelPrices,
        boolean includeAPIKeys,
        boolean includeUsageStats,
        boolean includeRequestLogs) {
}
