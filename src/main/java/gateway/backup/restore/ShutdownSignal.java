package gateway.backup.restore;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Raised once when the service starts to shut down (SIGTERM: Quarkus' pre-shutdown phase, before
 * the shutdown delay and timeout). A restore checks it before each batch and stops, so its one
 * transaction rolls back instead of being cut off when the process exits.
 */
@ApplicationScoped
public class ShutdownSignal {

    private volatile boolean shuttingDown;

    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        shuttingDown = true;
        Log.info("shutdown: no new restore batches; a restore in progress rolls back");
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }
}
