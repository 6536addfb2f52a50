package gateway.backup.api;

import gateway.backup.backup.BackupOptions;
import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Input;

/** GraphQL input of {@code backup}, with the gateway's names and defaults; {@code GET /api/backups/export} takes the same fields as query parameters (QueryParameters). */
@Input("BackupOptionsInput")
public class BackupOptionsInput extends SectionsInput {

    /** Request and response payloads: most of the data, not needed for usage statistics. */
    @DefaultValue("false")
    public boolean includeRequestLogs;

    BackupOptions toOptions() {
        return new BackupOptions(includeProjects, includeChannels, includeModels, includeModelPrices, includeAPIKeys,
                includeUsageStats, includeRequestLogs);
    }
}
