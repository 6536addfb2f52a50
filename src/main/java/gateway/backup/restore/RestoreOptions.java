package gateway.backup.restore;

/** What to restore and how to resolve conflicts (SPEC section 8, RestoreOptionsInput). */
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
        ConflictStrategy projectConflictStrategy) {
}
