package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Iterator;

/** {@code data_storages} rows ({@link DataStorage}) by id on the Vert.x pool, outside Hibernate (auto-backup). */
public final class DataStorageRows {

    private DataStorageRows() {
    }

    /** What tells whether a storage can take backups. */
    public record Summary(String name, String type, String status, long deletedAt) {
        static Summary of(Row row) {
            return new Summary(row.getString("name"), row.getString("type"), row.getString("status"), row.getLong("deleted_at"));
        }
    }

    /** A whole row, its settings as JSON text (secrets: never log them). */
    public record Full(long id, String name, String type, String status, long deletedAt, String settings) {
        static Full of(Row row) {
            return new Full(row.getLong("id"), row.getString("name"), row.getString("type"), row.getString("status"),
                    row.getLong("deleted_at"), row.getString("settings"));
        }
    }

    /** The row with that id, deleted or not; null when there is none. */
    public static Uni<Summary> summary(SqlClient client, long id) {
        return client.preparedQuery("select name, type, status, deleted_at from data_storages where id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    return it.hasNext() ? Summary.of(it.next()) : null;
                });
    }

    /** The row with that id, deleted or not; null when there is none. */
    public static Uni<Full> full(SqlClient client, long id) {
        return client.preparedQuery("select id, name, type, status, deleted_at, settings::text from data_storages where id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    return it.hasNext() ? Full.of(it.next()) : null;
                });
    }
}
