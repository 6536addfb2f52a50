package gateway.backup.api;

import gateway.backup.crypto.AgeEncryption;
import gateway.backup.schedule.AutoBackupSettings;
import gateway.backup.schedule.BackupFrequency;
import java.util.List;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

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
    /** age public keys (age1...) auto-backups are encrypted to; an empty list turns encryption off. */
    public List<@NonNull String> encryptionRecipients;
    /** full (every run) or incremental (usage added since the previous run, a full one every fullEveryDays). */
    public AutoBackupSettings.BackupMode mode;
    public Integer fullEveryDays;

    AutoBackupSettings.Update toUpdate() {
        return new AutoBackupSettings.Update(enabled, frequency, dataStorageID == null ? null : dataStorageID.longValue(),
                includeChannels, includeModels, includeAPIKeys, includeModelPrices, includeUsageStats,
                includeRequestLogs, retentionDays,
                encryptionRecipients == null ? null : AgeEncryption.recipients(encryptionRecipients), mode, fullEveryDays);
    }
}
