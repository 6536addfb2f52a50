package gateway.backup.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.function.Function;
import java.util.function.Supplier;

/** One backup or restore, measured the same way. */
public final class Timed {

    private Timed() {
    }

    /**
     * Runs {@code work}, recording the timer {@code gateway.backup.<name>.duration} and the counter
     * {@code gateway.backup.<name>s}, both tagged {@code outcome} success or failure, and logs one
     * line: {@code "<name>: <done> in <ms> ms"} on success, {@code "<name>: <failed>"} on failure.
     * {@code failed} must not put a secret into the log.
     */
    public static <T> Uni<T> timed(MeterRegistry metrics, String name, Supplier<Uni<T>> work,
            Function<T, String> done, Function<Throwable, String> failed) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample timer = Timer.start(metrics);
            Stopwatch stopwatch = Stopwatch.start();
            return work.get()
                    .invoke(result -> {
                        count(metrics, name, timer, "success");
                        Log.infof("%s: %s in %d ms", name, done.apply(result), stopwatch.millis());
                    })
                    .onFailure().invoke(failure -> {
                        count(metrics, name, timer, "failure");
                        Log.warnf("%s: %s", name, failed.apply(failure));
                    });
        });
    }

    private static void count(MeterRegistry metrics, String name, Timer.Sample timer, String outcome) {
        timer.stop(metrics.timer("gateway.backup." + name + ".duration", "outcome", outcome));
        metrics.counter("gateway.backup." + name + "s", "outcome", outcome).increment();
    }
}
