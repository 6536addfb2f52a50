package gateway.backup.api;

import gateway.backup.restore.RestoreException;
import gateway.backup.restore.Spool;
import gateway.backup.storage.StorageException;

/** A failed job's message: the operator's words for known failures, never a secret or a stack trace. */
final class JobFailures {

    private JobFailures() {
    }

    static String message(Throwable failure) {
        if (failure instanceof RestoreException || failure instanceof StorageException
                || failure instanceof BackupGraphQLApi.InlineLimitExceeded) {
            return failure.getMessage();
        }
        if (failure instanceof Spool.Stopped || failure instanceof ClientGone) {
            return "Stopped: the client went away";
        }
        return "Failed (" + failure.getClass().getSimpleName() + "); see the service log";
    }

    /** The client of a streaming endpoint closed the connection. */
    static final class ClientGone extends IllegalStateException {
        ClientGone() {
            super("client closed the connection");
        }
    }
}
