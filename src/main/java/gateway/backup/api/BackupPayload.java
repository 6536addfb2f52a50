package gateway.backup.api;

/** Result of the GraphQL {@code backup}: the file inline in {@code data} when it succeeded. */
public class BackupPayload {

    public boolean success;
    public String data;
    public String message;

    static BackupPayload of(boolean success, String data, String message) {
        BackupPayload payload = new BackupPayload();
        payload.success = success;
        payload.data = data;
        payload.message = message;
        return payload;
    }
}
