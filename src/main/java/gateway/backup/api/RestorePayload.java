package gateway.backup.api;

import gateway.backup.restore.RestoreReport;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;

/** Result of the GraphQL {@code restore}: success, a message, and the per-kind report. */
public class RestorePayload {

    public boolean success;
    public String message;
    public RestoreReport report;
    @Id
    @Description("The restore's job (backupJob, backupJobProgress)")
    public String jobId;

    RestorePayload withJob(String jobId) {
        this.jobId = jobId;
        return this;
    }

    static RestorePayload of(boolean success, String message, RestoreReport report) {
        RestorePayload payload = new RestorePayload();
        payload.success = success;
        payload.message = message;
        payload.report = report;
        return payload;
    }
}
