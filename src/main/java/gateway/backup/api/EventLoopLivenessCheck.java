package gateway.backup.api;

import gateway.backup.config.GatewayBackupConfig;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness is DOWN when an event loop is stuck: once a second a thread of its own hands each
 * event loop a task that notes the time; a loop whose last note is older than the stall
 * timeout is not serving requests, and Kubernetes should restart the pod.
 */
@Liveness
@ApplicationScoped
public class EventLoopLivenessCheck implements HealthCheck {

    private final Vertx vertx;
    private final long stallNanos;
    private final List<EventExecutor> loops = new ArrayList<>();
    private final List<AtomicLong> lastRun = new ArrayList<>();
    private ScheduledExecutorService pinger;

    EventLoopLivenessCheck(Vertx vertx, GatewayBackupConfig config) {
        this.vertx = vertx;
        this.stallNanos = config.http().eventLoopStallTimeout().toNanos();
    }

    void onStart(@Observes StartupEvent event) {
        for (EventExecutor loop : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops.add(loop);
            lastRun.add(new AtomicLong(System.nanoTime()));
        }
        pinger = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "event-loop-liveness");
            thread.setDaemon(true);
            return thread;
        });
        pinger.scheduleWithFixedDelay(this::ping, 0, 1, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (pinger != null) {
            pinger.shutdownNow();
        }
    }

    private void ping() {
        for (int i = 0; i < loops.size(); i++) {
            AtomicLong last = lastRun.get(i);
            loops.get(i).execute(() -> last.set(System.nanoTime()));
        }
    }

    @Override
    public HealthCheckResponse call() {
        long now = System.nanoTime();
        int stuck = 0;
        for (AtomicLong last : lastRun) {
            if (now - last.get() > stallNanos) {
                stuck++;
            }
        }
        return HealthCheckResponse.named("event loops").status(stuck == 0)
                .withData("loops", loops.size()).withData("stuck", stuck).build();
    }
}
