package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Rows as JSON text, read in keyset batches: each query takes the rows after the last id
 * seen ({@code :after}), at most {@code :limit} of them, ordered by id. The query returns two
 * columns, the id and the row's JSON. Memory holds one batch at a time.
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

    public static Multi<List<String>> stream(Uni<Mutiny.Session> session, String sql, int batchSize) {
        AtomicLong after = new AtomicLong(Long.MIN_VALUE);
        return Multi.createBy().repeating()
                .uni(() -> session.flatMap(s -> s.createNativeQuery(sql, Object[].class)
                        .setParameter("after", after.get())
                        .setParameter("limit", batchSize)
                        .getResultList())
                        .map(rows -> {
                            if (!rows.isEmpty()) {
                                after.set(((Number) rows.get(rows.size() - 1)[0]).longValue());
                            }
                            return rows.stream().map(row -> (String) row[1]).toList();
                        }))
                .whilst(batch -> batch.size() == batchSize);
    }
}
