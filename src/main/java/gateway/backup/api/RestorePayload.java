package gateway.backup.api;

import gateway.backup.restore.RestoreReport;

/** Result of the GraphQL {@code restore}: success, a message, and the per-kind report. */
public class RestorePayload {

    public boolean success;
    public String message;
    public RestoreReport report;

    static RestorePayload of(boolean success, String message, RestoreReport report) {
        RestorePayload payload = new RestorePayload();
        payload.success = success;
        payload.message = message;
        payload.report = report;
        return payload;
    }
}
