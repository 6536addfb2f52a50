package gateway.backup.restore;

import java.util.ArrayList;
import java.util.List;

/** What a restore did, per kind, and what it warned about (the first warnings, and how many in all). */
public class RestoreReport {

    static final int MAX_WARNINGS = 100;

    /** Counts of one kind of row. */
    public static class KindCounts {
        public String kind;
        /** Rows of this kind in the file; set by verify, null in a restore report. */
        public Long rows;
        public long created;
        public long updated;
        public long skipped;

        public KindCounts(String kind) {
            this.kind = kind;
        }
    }

    /** True when nothing was written: the restore ran and was rolled back. */
    public boolean dryRun;
    public List<KindCounts> kinds = new ArrayList<>();
    public List<String> warnings = new ArrayList<>();
    public long warningCount;

    KindCounts kind(String name) {
        for (KindCounts counts : kinds) {
            if (counts.kind.equals(name)) {
                return counts;
            }
        }
        KindCounts counts = new KindCounts(name);
        kinds.add(counts);
        return counts;
    }

    void created(String kind) {
        kind(kind).created++;
    }

    void updated(String kind) {
        kind(kind).updated++;
    }

    void skipped(String kind) {
        kind(kind).skipped++;
    }

    /** Warnings must never contain API key values or credentials. */
    void warn(String warning) {
        warningCount++;
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        }
    }

    /** One line, e.g. for the GraphQL message. */
    public String summary() {
        StringBuilder text = new StringBuilder(dryRun ? "Dry run, nothing written; the restore would complete" : "Restore completed");
        for (KindCounts counts : kinds) {
            text.append("; ").append(counts.kind).append(": ").append(counts.created).append(" created, ")
                    .append(counts.updated).append(" updated, ").append(counts.skipped).append(" skipped");
        }
        return text.append("; ").append(warningCount).append(" warnings").toString();
    }
}
