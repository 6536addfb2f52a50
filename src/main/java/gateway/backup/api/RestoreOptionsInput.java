package gateway.backup.api;

import gateway.backup.restore.ConflictStrategy;
import gateway.backup.restore.RestoreOptions;
import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** GraphQL input of {@code restore}, with the gateway's names and defaults; {@code POST /api/backups/import} takes the same fields as query parameters (QueryParameters). */
@Input("RestoreOptionsInput")
public class RestoreOptionsInput extends SectionsInput {

    /** The GraphQL enum of conflict strategies. */
    public enum BackupConflictStrategy {
        skip, overwrite, error
    }

    @NonNull
    public BackupConflictStrategy channelConflictStrategy;
    @NonNull
    public BackupConflictStrategy modelConflictStrategy;
    @NonNull
    public BackupConflictStrategy modelPriceConflictStrategy;
    @NonNull
    public BackupConflictStrategy apiKeyConflictStrategy;
    @NonNull
    @DefaultValue("skip")
    public BackupConflictStrategy projectConflictStrategy;
    @DefaultValue("false")
    @Description("Run the whole restore and report it, then roll it back: nothing is written.")
    public boolean dryRun;

    RestoreOptions toOptions() {
        return new RestoreOptions(includeProjects, includeChannels, includeModelPrices, includeModels, includeAPIKeys,
                includeUsageStats, strategy(channelConflictStrategy), strategy(modelConflictStrategy),
                strategy(modelPriceConflictStrategy), strategy(apiKeyConflictStrategy), strategy(projectConflictStrategy),
                dryRun);
    }

    private static ConflictStrategy strategy(BackupConflictStrategy strategy) {
        return ConflictStrategy.valueOf(strategy.name());
    }
}
