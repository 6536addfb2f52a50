package gateway.backup.metrics;

/** Elapsed time since {@link #start()}, for log lines. */
public final class Stopwatch {

    private final long startedNanos = System.nanoTime();

    private Stopwatch() {
    }

    public static Stopwatch start() {
        return new Stopwatch();
    }

    public long millis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
