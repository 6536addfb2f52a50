package gateway.backup;

/** Polls a condition for up to ten seconds: for what a test cannot wait on directly (a file deleted, a health check). */
public final class Eventually {

    private Eventually() {
    }

    public interface Condition {
        boolean holds() throws Exception;
    }

    public static void waitFor(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
