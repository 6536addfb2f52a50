package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** This service's own table {@code gateway_backup_runs} (migration V2): one row per claimed auto-backup slot. */
public final class BackupRuns {

    private BackupRuns() {
    }

    /** Inserts the slot; true only when this insert went in (no replica had claimed it). */
    public static Uni<Boolean> claim(SqlClient client, String slot, String instance) {
        return client.preparedQuery("insert into gateway_backup_runs (slot, instance) values ($1, $2) on conflict do nothing")
                .execute(Tuple.of(slot, instance)).map(rows -> rows.rowCount() == 1);
    }
}
