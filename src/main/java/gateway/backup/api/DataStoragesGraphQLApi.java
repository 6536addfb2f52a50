package gateway.backup.api;

import gateway.backup.metrics.Stopwatch;
import gateway.backup.domain.DataStorage;
import gateway.backup.domain.DataStorageRepository;
import gateway.backup.security.Owner;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.BackupStorage.PendingFile;
import gateway.backup.storage.Storages;
import gateway.backup.storage.StoredFile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** The gateway's data storages, read-only with secrets masked, and a write/stat/read/delete probe. Owner only. */
@GraphQLApi
public class DataStoragesGraphQLApi {

    /** Probe files start like this; never a backup file name, so never listed, restored or deleted as one. */
    static final String PROBE_PREFIX = "gateway-backup-probe-";

    @Inject
    Owner owner;

    @Inject
    DataStorageRepository rows;

    @Inject
    StorageAccess storages;

    @Query("dataStorages")
    @Description("The gateway's data storages (live rows), settings JSON with every secret masked.")
    public Uni<@NonNull List<@NonNull DataStorageView>> dataStorages() {
        owner.require();
        return Panache.withSession(() -> rows.listLive()).map(list -> list.stream().map(DataStorageView::of).toList());
    }

    @Mutation("testDataStorage")
    @Description("Writes a small probe file to the storage, stats it, reads it back and deletes it; "
            + "reports each step's outcome and latency. Nothing else in the storage is touched.")
    public Uni<@NonNull StorageTestResult> testDataStorage(@Name("id") int id) {
        owner.require();
        return storages.row(id)
                .chain(row -> StorageAccess.blocking(() -> probe(row)))
                .onFailure().recoverWithItem(e -> {
                    StorageTestResult result = new StorageTestResult();
                    result.message = e instanceof gateway.backup.storage.StorageException ? e.getMessage()
                            : "Cannot test data storage " + id + "; see the service log";
                    return result;
                });
    }

    /** Blocking: runs the steps in order, stops at the first failure, deletes the probe whenever it was written. */
    private StorageTestResult probe(DataStorage row) {
        StorageTestResult result = new StorageTestResult();
        String name = PROBE_PREFIX + UUID.randomUUID() + ".txt";
        byte[] content = ("gateway-backup storage test " + name + "\n").getBytes(StandardCharsets.UTF_8);
        Probe probe = new Probe(row, result);
        BackupStorage[] opened = new BackupStorage[1];
        boolean ok = probe.step("open", () -> {
            opened[0] = Storages.open(row);
            return null;
        });
        if (!ok) {
            return probe.finish();
        }
        try (BackupStorage storage = opened[0]) {
            boolean written = probe.step("write", () -> {
                PendingFile file = storage.create(name);
                try {
                    file.out().write(content);
                    file.complete();
                } catch (Exception e) {
                    file.abort();
                    throw e;
                }
                return null;
            });
            boolean checked = written && probe.step("stat", () -> {
                Optional<StoredFile> stat = storage.stat(name);
                if (stat.isEmpty()) {
                    return "the probe file is not there after the write";
                }
                return stat.get().size() == content.length ? null
                        : "the probe file has " + stat.get().size() + " bytes, " + content.length + " were written";
            }) && probe.step("read", () -> {
                try (InputStream in = storage.open(name)) {
                    return Arrays.equals(in.readAllBytes(), content) ? null : "the probe file reads back different bytes";
                }
            });
            if (written) {
                probe.step("delete", () -> {
                    storage.delete(name);
                    return storage.stat(name).isEmpty() ? null : "the probe file is still there after the delete";
                });
            }
            Log.infof("storage test: data storage %d (%s): %s", row.id, storage.describe(),
                    result.steps.stream().allMatch(step -> step.success) && checked ? "ok" : "failed");
        }
        return probe.finish();
    }

    /** One check of a step: null when it passed, else what was wrong. */
    private interface Check {
        String run() throws Exception;
    }

    /** Runs and records the steps; messages are scrubbed of the row's secrets. */
    private record Probe(DataStorage row, StorageTestResult result) {

        boolean step(String name, Check check) {
            StorageTestResult.Step step = new StorageTestResult.Step();
            step.name = name;
            Stopwatch stopwatch = Stopwatch.start();
            try {
                step.message = check.run();
            } catch (Exception e) {
                step.message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            step.latencyMs = stopwatch.millis();
            step.success = step.message == null;
            step.message = StorageSettingsMask.scrub(step.message, row.settings);
            result.steps.add(step);
            return step.success;
        }

        StorageTestResult finish() {
            StorageTestResult.Step failed = result.steps.stream().filter(step -> !step.success).findFirst().orElse(null);
            result.success = failed == null;
            result.message = failed == null
                    ? "Data storage " + row.id + " (\"" + row.name + "\") works: " + result.steps.size() + " steps passed"
                    : "Data storage " + row.id + " (\"" + row.name + "\") failed at " + failed.name + ": " + failed.message;
            return result;
        }
    }
}
