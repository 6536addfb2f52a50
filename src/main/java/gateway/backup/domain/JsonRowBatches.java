package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Rows as JSON text, read in keyset batches: each query takes the rows after the last id
 * seen ({@code :after}), at most {@code :limit} of them, ordered by id. Either PostgreSQL builds
 * each row's JSON ({@link #stream}: the query returns the id and the JSON), or it sends the typed
 * columns and the service encodes them ({@link #streamEncoded}). While the caller handles one batch,
 * the next one is already being read, so memory holds at most two batches, each bounded by a
 * {@link BatchLimit} of rows and bytes.
 */
public final class JsonRowBatches {

    private JsonRowBatches() {
    }

    /**
     * A keyset query over the live rows of {@code from} (aliased {@code t}, with its joins):
     * each selected column becomes a JSON field of the same name, nulls included.
     */
    static String liveRowsSql(String columns, String from) {
        return "select j.id, row_to_json(j)::text from (select " + columns + " from " + from
                + " where t.deleted_at = 0 and t.id > :after order by t.id limit :limit) j";
    }

    /**
     * SQL for a JSON object of the given fields ({@code name, expression} pairs) that leaves
     * out fields whose expression is null. Faster than json_strip_nulls(json_build_object(..)),
     * which builds the object and then parses it again. An expression of type json or jsonb is
     * written as stored; others go through to_json.
     */
    static String objectWithoutNulls(String... nameExpressionPairs) {
        StringBuilder sql = new StringBuilder("'{' || concat_ws(','");
        for (int i = 0; i < nameExpressionPairs.length; i += 2) {
            String expression = nameExpressionPairs[i + 1];
            sql.append(", '\"").append(nameExpressionPairs[i]).append("\":' || ")
                    .append(expression.endsWith("::text") ? expression : "to_json(" + expression + ")::text");
        }
        return sql.append(") || '}'").toString();
    }

    /**
     * Batches of a keyset query ({@code sql}: id and JSON text, {@code :after} and {@code :limit}),
     * each row's JSON as its UTF-8 bytes, ready to be written as they are. When the limit cuts
     * by bytes, PostgreSQL cuts each batch where its JSON reaches the byte limit; the rows cut
     * off come again at the start of the next batch. After a cut the next query asks for one row
     * more than fitted, so large rows are not built again and again only to be cut off.
     */
    public static Multi<List<byte[]>> stream(Uni<Mutiny.Session> session, String sql, BatchLimit limit) {
        return stream(session, sql, limit, Long.MIN_VALUE);
    }

    /** As above, starting after the id {@code startAfter} (incremental backups). */
    public static Multi<List<byte[]>> stream(Uni<Mutiny.Session> session, String sql, BatchLimit limit, long startAfter) {
        String keyset = keyset(sql);
        // JSON as bytea: the text comes as the bytes PostgreSQL has, with no decoding to a String
        // and encoding back. Counting bytes costs PostgreSQL about a tenth more: only where rows can be large.
        String query = !limit.cutsByBytes()
                ? "select id, convert_to(json, 'UTF8'), null::bigint from (" + keyset + ") b(id, json)"
                : "select id, convert_to(json, 'UTF8'), fetched from (select id, json, count(*) over () as fetched, "
                + "sum(octet_length(json)) over (order by id rows unbounded preceding) - octet_length(json) as before "
                + "from (" + keyset + ") b(id, json)) w where before < $3 order by id";
        BiFunction<Long, Integer, Uni<Batch<byte[]>>> read = (after, rowLimit) -> (limit.cutsByBytes()
                ? RawSql.select(session, query, after, (long) rowLimit, limit.bytes())
                : RawSql.select(session, query, after, (long) rowLimit))
                .map(result -> {
                    List<byte[]> rows = new ArrayList<>(result.size());
                    long lastId = after;
                    Number fetched = null;
                    while (result.hasNext()) {
                        Object[] row = result.next();
                        lastId = ((Number) row[0]).longValue();
                        rows.add(((Buffer) row[1]).getBytes());
                        fetched = (Number) row[2];
                    }
                    boolean cut = fetched != null && fetched.intValue() > rows.size();
                    return new Batch<>(rows, lastId, !rows.isEmpty() && (cut || rows.size() == rowLimit),
                            cut ? rows.size() + 1 : Math.min(limit.rows(), rowLimit * 2));
                });
        return batches(read, startAfter, limit.rows());
    }

    /**
     * Batches of a keyset query over {@code fields} ({@code from}: the tables with their joins and the keyset
     * condition on {@code :after}, ordered by id; the first field is the id), read as typed columns and
     * encoded here ({@link UsageJson}) while PostgreSQL reads the next batch. For rows that are small by
     * nature: batches are cut by rows only. The session's time zone is read once, at the start.
     */
    public static Multi<List<byte[]>> streamEncoded(Uni<Mutiny.Session> session, List<UsageJson.Field> fields, String from,
            BatchLimit limit, long startAfter) {
        String query = keyset("select " + UsageJson.selectList(fields) + " from " + from + " limit :limit");
        BiFunction<Long, Integer, Uni<Batch<Object[]>>> read = (after, rowLimit) -> RawSql
                .select(session, query, after, (long) rowLimit)
                .map(result -> {
                    List<Object[]> rows = new ArrayList<>(result.size());
                    while (result.hasNext()) {
                        rows.add(result.next());
                    }
                    long lastId = rows.isEmpty() ? after : ((Number) rows.get(rows.size() - 1)[0]).longValue();
                    return new Batch<>(rows, lastId, rows.size() == rowLimit, rowLimit);
                });
        return RawSql.select(session, "select current_setting('TimeZone'), extract(timezone from now())::int")
                .map(result -> {
                    Object[] zone = result.next();
                    return new UsageJson.Encoder(fields, UsageJson.sessionZone((String) zone[0], (Integer) zone[1]));
                })
                .onItem().transformToMulti(encoder -> batches(read, startAfter, limit.rows()).map(encoder::encode));
    }

    private static String keyset(String sql) {
        return sql.replace(":after", "$1").replace(":limit", "$2");
    }

    /**
     * The batches of {@code read} (after an id, at most so many rows), the next one read while the caller
     * handles this one: the caller's work on a batch (after it is handed out) runs beside PostgreSQL's.
     */
    private static <R> Multi<List<R>> batches(BiFunction<Long, Integer, Uni<Batch<R>>> read, long startAfter, int rows) {
        // Deferred: the first read starts when the caller subscribes.
        return Multi.createFrom().deferred(() -> {
            ReadAhead<Batch<R>> ahead = new ReadAhead<>(read.apply(startAfter, rows),
                    batch -> read.apply(batch.lastId(), batch.nextLimit()), Batch::more);
            return Multi.createBy().repeating().uni(ahead::next).whilst(Batch::more).map(Batch::rows);
        });
    }

    private record Batch<R>(List<R> rows, long lastId, boolean more, int nextLimit) {
    }
}
