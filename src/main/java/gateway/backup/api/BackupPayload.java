package gateway.backup.api;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;

/** Result of the GraphQL {@code backup}: the file inline in {@code data} when it succeeded. */
public class BackupPayload {

    public boolean success;
    public String data;
    public String message;
    @Id
    @Description("The job that made this file (backupJob, backupJobProgress)")
    public String jobId;

    static BackupPayload of(boolean success, String data, String message) {
        BackupPayload payload = new BackupPayload();
        payload.success = success;
        payload.data = data;
        payload.message = message;
        return payload;
    }
}
