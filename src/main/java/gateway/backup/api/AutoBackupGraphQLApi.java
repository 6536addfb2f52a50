package gateway.backup.api;

import gateway.backup.crypto.EncryptionException;
import gateway.backup.schedule.AutoBackupRunner;
import gateway.backup.schedule.AutoBackupSchedule;
import gateway.backup.schedule.AutoBackupSettingsStore;
import gateway.backup.security.Owner;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** The gateway UI's auto-backup screen: read and save the settings, and "back up now". Owner only. */
@GraphQLApi
public class AutoBackupGraphQLApi {

    @Inject
    Owner owner;

    @Inject
    AutoBackupSettingsStore settings;

    @Inject
    AutoBackupSchedule schedule;

    @Inject
    AutoBackupRunner runner;

    @Query("autoBackupSettings")
    @Description("The auto-backup settings, with defaults for what was never saved, and the last run's time and error.")
    public Uni<@NonNull AutoBackupSettingsPayload> autoBackupSettings() {
        owner.require();
        return settings.read().map(AutoBackupSettingsPayload::of);
    }

    @Mutation("updateAutoBackupSettings")
    @Description("Saves the fields given and keeps the others. Enabling needs an active fs, s3, webdav or gcs data storage; "
            + "retentionDays must be 0 (keep all) or more.")
    public Uni<@NonNull Boolean> updateAutoBackupSettings(@NonNull UpdateAutoBackupSettingsInput input) {
        owner.require();
        return Uni.createFrom().item(input::toUpdate).chain(settings::update)
                .call(saved -> schedule.refresh().onFailure().recoverWithNull())
                .invoke(saved -> Log.infof("auto-backup: settings saved (enabled=%s, %s, storage %d, retention %d days)",
                        saved.enabled(), saved.frequency(), saved.dataStorageId(), saved.retentionDays()))
                .replaceWith(true)
                .onFailure(e -> e instanceof AutoBackupSettingsStore.InvalidSettingsException || e instanceof EncryptionException)
                .transform(e -> new GraphQLException(e.getMessage()));
    }

    @Mutation("triggerAutoBackup")
    @Description("Starts an auto-backup now, in the background, with the saved settings; answers at once. "
            + "autoBackupSettings' lastBackupAt and lastBackupError show the result.")
    public Uni<@NonNull TriggerBackupPayload> triggerAutoBackup() {
        owner.require();
        return runner.trigger()
                .map(message -> TriggerBackupPayload.of(true, message))
                .onFailure(AutoBackupRunner.NotStartedException.class)
                .recoverWithItem(e -> TriggerBackupPayload.of(false, e.getMessage()));
    }
}
