package gateway.backup.api;

import gateway.backup.schedule.AutoBackupSettings;
import gateway.backup.schedule.BackupFrequency;
import org.eclipse.microprofile.graphql.Input;

/** GraphQL input of {@code updateAutoBackupSettings}: every field optional, absent = unchanged. */
@Input("UpdateAutoBackupSettingsInput")
public class UpdateAutoBackupSettingsInput {

    public Boolean enabled;
    public BackupFrequency frequency;
    public Integer dataStorageID;
    public Boolean includeChannels;
    public Boolean includeModels;
    public Boolean includeAPIKeys;
    public Boolean includeModelPrices;
    public Boolean includeUsageStats;
    public Boolean includeRequestLogs;
    public Integer retentionDays;

    AutoBackupSettings.Update toUpdate() {
        return new AutoBackupSettings.Update(enabled, frequency, dataStorageID == null ? null : dataStorageID.longValue(),
                includeChannels, includeModels, includeAPIKeys, includeModelPrices, includeUsageStats,
                includeRequestLogs, retentionDays);
    }
}
