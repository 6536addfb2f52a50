package gateway.backup.api;

import gateway.backup.schedule.AutoBackupSettings;
import gateway.backup.schedule.BackupFrequency;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** GraphQL {@code AutoBackupSettings} (docs/graphql-api.md), from the stored settings. */
@Type("AutoBackupSettings")
public class AutoBackupSettingsPayload {

    public boolean enabled;
    @NonNull
    public BackupFrequency frequency;
    public int dataStorageID;
    public boolean includeChannels;
    public boolean includeModels;
    public boolean includeAPIKeys;
    public boolean includeModelPrices;
    public boolean includeUsageStats;
    public boolean includeRequestLogs;
    public int retentionDays;
    public OffsetDateTime lastBackupAt;
    public String lastBackupError;
    @NonNull
    public List<@NonNull String> encryptionRecipients;
    @NonNull
    public AutoBackupSettings.BackupMode mode;
    public int fullEveryDays;

    static AutoBackupSettingsPayload of(AutoBackupSettings s) {
        AutoBackupSettingsPayload p = new AutoBackupSettingsPayload();
        p.enabled = s.enabled();
        p.frequency = s.frequency();
        p.dataStorageID = (int) s.dataStorageId();
        p.includeChannels = s.includeChannels();
        p.includeModels = s.includeModels();
        p.includeAPIKeys = s.includeApiKeys();
        p.includeModelPrices = s.includeModelPrices();
        p.includeUsageStats = s.includeUsageStats();
        p.includeRequestLogs = s.includeRequestLogs();
        p.retentionDays = s.retentionDays();
        p.lastBackupAt = s.lastBackupAt() == null ? null : s.lastBackupAt().atOffset(ZoneOffset.UTC);
        p.lastBackupError = s.lastBackupError();
        p.encryptionRecipients = s.encryptionRecipients();
        p.mode = s.mode();
        p.fullEveryDays = s.fullEveryDays();
        return p;
    }
}
