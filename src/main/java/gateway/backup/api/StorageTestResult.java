package gateway.backup.api;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;

/** What testDataStorage found: success, a message naming the failed step, and each step's outcome. */
public class StorageTestResult {

    public boolean success;
    public String message;
    @Description("open, write, stat, read, delete: in order, up to the first failure (delete is tried after any write)")
    public List<@NonNull Step> steps = new ArrayList<>();

    /** One step of the probe. */
    @org.eclipse.microprofile.graphql.Type("StorageTestStep")
    public static class Step {
        @NonNull
        public String name;
        public boolean success;
        public long latencyMs;
        public String message;
    }
}
