package gateway.backup.api;

import org.eclipse.microprofile.graphql.DefaultValue;

/** The sections a backup or restore takes, with the gateway's names and defaults: the fields BackupOptionsInput and RestoreOptionsInput share. */
public abstract class SectionsInput {

    @DefaultValue("true")
    public boolean includeProjects;
    public boolean includeChannels;
    @DefaultValue("true")
    public boolean includeModelPrices;
    public boolean includeModels;
    public boolean includeAPIKeys;
    @DefaultValue("true")
    public boolean includeUsageStats;
}
