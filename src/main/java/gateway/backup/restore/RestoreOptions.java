package gateway.backup.restore;

/**
 * What to restore and how to resolve conflicts (docs/graphql-api.md, RestoreOptionsInput; docs/http-api.md). A dry run does
 * the whole restore, reports it, and rolls the transaction back.
 */
public record RestoreOptions(
        boolean includeProjects,
        boolean includeChannels,
        boolean includeModelPrices,
        boolean includeModels,
        boolean includeAPIKeys,
        boolean includeUsageStats,
        ConflictStrategy channelConflictStrategy,
        ConflictStrategy modelConflictStrategy,
        ConflictStrategy modelPriceConflictStrategy,
        ConflictStrategy apiKeyConflictStrategy,
        ConflictStrategy projectConflictStrategy,
        boolean dryRun) {

    /** A real restore (not a dry run). */
    public RestoreOptions(boolean includeProjects, boolean includeChannels, boolean includeModelPrices,
            boolean includeModels, boolean includeAPIKeys, boolean includeUsageStats,
            ConflictStrategy channelConflictStrategy, ConflictStrategy modelConflictStrategy,
            ConflictStrategy modelPriceConflictStrategy, ConflictStrategy apiKeyConflictStrategy,
            ConflictStrategy projectConflictStrategy) {
        this(includeProjects, includeChannels, includeModelPrices, includeModels, includeAPIKeys, includeUsageStats,
                channelConflictStrategy, modelConflictStrategy, modelPriceConflictStrategy, apiKeyConflictStrategy,
                projectConflictStrategy, false);
    }
}
