package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Iterator;

/**
 * {@code systems} rows ({@link SystemSetting}) on the Vert.x pool, outside Hibernate (the auto-backup
 * settings): the value of a key, and a merge that touches only the keys of the JSON it is given, so
 * a settings change and a run's result never overwrite each other.
 */
public final class SystemSettingRows {

    private static final String SELECT = "select value from systems where key = $1 and deleted_at = 0";
    /** A soft-deleted row counts as absent: it is revived with the new value alone. */
    private static final String MERGE = "insert into systems (key, value) values ($1, $2) on conflict (key) do update "
            + "set value = case when systems.deleted_at = 0 and coalesce(systems.value, '') <> '' "
            + "then (systems.value::jsonb || excluded.value::jsonb)::text else excluded.value end, "
            + "deleted_at = 0, updated_at = now()";

    private SystemSettingRows() {
    }

    /** The live value of {@code key}, or null; {@code forUpdate}: the row stays locked until the transaction ends. */
    public static Uni<String> value(SqlClient client, String key, boolean forUpdate) {
        return client.preparedQuery(SELECT + (forUpdate ? " for update" : "")).execute(Tuple.of(key))
                .map(SystemSettingRows::firstValue);
    }

    private static String firstValue(RowSet<Row> rows) {
        Iterator<Row> it = rows.iterator();
        return it.hasNext() ? it.next().getString("value") : null;
    }

    /** Merges the JSON object {@code json} into the value of {@code key} (creating or reviving the row). */
    public static Uni<Void> merge(SqlClient client, String key, String json) {
        return client.preparedQuery(MERGE).execute(Tuple.of(key, json)).replaceWithVoid();
    }
}
