package gateway.backup.api;

/** Result of {@code triggerAutoBackup}: whether a run was started (not whether it succeeded). */
public class TriggerBackupPayload {

    public boolean success;
    public String message;

    static TriggerBackupPayload of(boolean success, String message) {
        TriggerBackupPayload payload = new TriggerBackupPayload();
        payload.success = success;
        payload.message = message;
        return payload;
    }
}
