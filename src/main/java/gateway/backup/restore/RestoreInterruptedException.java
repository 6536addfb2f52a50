package gateway.backup.restore;

/** A restore stopped because the service is shutting down; its transaction rolled back, nothing was written. */
public class RestoreInterruptedException extends RuntimeException {

    public RestoreInterruptedException() {
        super("The service is shutting down: the restore was stopped and rolled back, nothing was written. "
                + "Run it again once the service is back.");
    }
}
