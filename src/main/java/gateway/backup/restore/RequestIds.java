package gateway.backup.restore;

import java.util.Map;
import java.util.TreeMap;

/**
 * Old request id (the file's) → id here, for one restore. Kept in memory as runs of consecutive
 * old ids mapped to consecutive ids here (a restore of an exported table is a few runs), at most
 * {@code maxRuns} of them: past that every new mapping goes to the transaction's temporary table
 * instead (domain.UsageRestoreStatements), so memory stays bounded whatever the file. The first
 * mapping of an old id stands. Also remembers the highest id here given a usage log by this restore:
 * a request this restore inserted above it has no log yet.
 */
final class RequestIds {

    /** Old ids {@code oldStart} to {@code oldStart + length - 1} → ids from {@code newStart} on. */
    private static final class Run {
        final long oldStart;
        final long newStart;
        /** Inserted by this restore, rather than found here. */
        final boolean inserted;
        int length = 1;

        Run(long oldStart, long newStart, boolean inserted) {
            this.oldStart = oldStart;
            this.newStart = newStart;
            this.inserted = inserted;
        }
    }

    private final TreeMap<Long, Run> runs = new TreeMap<>();
    private final int maxRuns;
    private boolean full;
    private long logged = Long.MIN_VALUE;

    RequestIds(int maxRuns) {
        this.maxRuns = maxRuns;
    }

    private Run run(Long oldId) {
        Map.Entry<Long, Run> floor = oldId == null ? null : runs.floorEntry(oldId);
        return floor != null && oldId - floor.getKey() < floor.getValue().length ? floor.getValue() : null;
    }

    /** The id here of {@code oldId} if it is mapped in memory; null if not mapped, or mapped in the table. */
    Long get(Long oldId) {
        Run run = run(oldId);
        return run == null ? null : run.newStart + (oldId - run.oldStart);
    }

    /** Whether mappings may be in the table too (memory is full). */
    boolean inTable() {
        return full;
    }

    /** Maps {@code oldId} → {@code newId} unless it is mapped; false when the mapping must go to the table. */
    boolean put(long oldId, long newId, boolean inserted) {
        if (run(oldId) != null) {
            return true;
        }
        if (full) {
            return false;
        }
        Map.Entry<Long, Run> floor = runs.floorEntry(oldId);
        Run last = floor == null ? null : floor.getValue();
        if (last != null && oldId - last.oldStart == last.length && newId - last.newStart == last.length
                && last.inserted == inserted) {
            last.length++;
            return true;
        }
        if (runs.size() >= maxRuns) {
            full = true;
            return false;
        }
        runs.put(oldId, new Run(oldId, newId, inserted));
        return true;
    }

    /**
     * Whether the request {@code oldId} (mapped in memory to {@code newId}) may already have a usage log:
     * found here, or given one by this restore (ids up to the highest so given).
     */
    boolean mayHaveLog(Long oldId, long newId) {
        return !run(oldId).inserted || newId <= logged;
    }

    /** A usage log was written for the request {@code newId} here. */
    void logged(long newId) {
        logged = Math.max(logged, newId);
    }
}
