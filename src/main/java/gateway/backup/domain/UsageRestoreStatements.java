package gateway.backup.domain;

import gateway.backup.domain.UsageColumns.Column;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The restore's set-based statements for usage requests and logs (restore.UsageRestore), built from
 * {@link UsageColumns}. Each batch goes to PostgreSQL as one typed array per column, expanded with
 * {@code unnest} (see {@link RawSql}); each statement's {@code *_PARAMETERS} list names those arrays in
 * order, so the caller sends one array per column of it, in that order, from {@code $1}. Old request
 * id → new id lives in a temporary table of the transaction, {@code restore_request_ids}.
 */
public final class UsageRestoreStatements {

    private UsageRestoreStatements() {
    }

    private static Column column(String name, String type) {
        return new Column(name, type, false);
    }

    @SafeVarargs
    private static List<Column> all(List<Column>... groups) {
        List<Column> columns = new ArrayList<>();
        for (List<Column> group : groups) {
            columns.addAll(group);
        }
        return List.copyOf(columns);
    }

    /** The request's own columns, as inserted. */
    private static final List<Column> REQUEST_COLUMNS = all(UsageColumns.REQUESTS, UsageColumns.REQUEST_PAYLOADS);

    /** Where a request was in the file, and its id there. */
    private static final List<Column> REQUEST_KEY_COLUMNS = List.of(column("ord", "int"), column("old_id", "bigint"));

    /** What a request of the file is matched by besides its fingerprint, and where it was in the file. */
    private static final List<Column> REQUEST_MATCH_COLUMNS = List.of(
            column("ord", "int"),
            column("old_id", "bigint"),
            column("project_match", "text"),
            column("channel_match", "text"),
            column("channel_found", "boolean"),
            column("api_key", "text"));

    /** A request's fingerprint columns, as the probe gets them. */
    private static final List<Column> FINGERPRINT_COLUMNS = REQUEST_COLUMNS.stream()
            .filter(c -> UsageColumns.REQUEST_FINGERPRINT.contains(c.name())).toList();

    private static final List<Column> LOG_KEY_COLUMNS = List.of(column("ord", "int"), column("request_id", "bigint"));

    private static final List<Column> LOG_INSERT_COLUMNS = List.of(column("request_here", "bigint"));

    /** Creates the transaction's map of old request id → new id, and sets what the batches' statements need. */
    public static Uni<Void> begin(Mutiny.Session s) {
        return s.createNativeQuery("create temp table if not exists "
                + "restore_request_ids (old_id bigint primary key, new_id bigint not null) on commit drop")
                .executeUpdate()
                // The usage tables grow inside this transaction while their statistics stay as they were
                // (often: empty), so the planner would scan them whole for every probe; the probes and
                // look-ups all have indexes (created_at, request_id, primary keys).
                .chain(() -> s.createNativeQuery("set local enable_seqscan = off").executeUpdate())
                // A batch's statement is planned for its parameters each time; the probe's cost per row,
                // times a batch, crosses jit_above_cost, and compiling took 40 times longer than running it.
                .chain(() -> s.createNativeQuery("set local jit = off").executeUpdate())
                .replaceWithVoid();
    }

    /** Whether any request here falls in the time range $1 to $2; if none, the batch needs no probe. */
    public static final String ANY_IN_RANGE_SQL = "select exists (select 1 from requests r where r.created_at between $1 and $2)";

    /** The probe's arrays: a request's place, old id, match columns and fingerprint. */
    public static final List<Column> PROBE_PARAMETERS = all(REQUEST_MATCH_COLUMNS, FINGERPRINT_COLUMNS);

    /**
     * The probe, with only the columns it compares: requests already here at the same time with the
     * same fingerprint (names of soft-deleted projects and channels count too: deleting one between two
     * restores adds nothing); the same channel name, or none here when the file's channel is not found;
     * the same API key value first, else one with a key missing on one side (a file made without keys,
     * a key not found). Maps those found and answers the others' places (one int array): only they are
     * sent whole. Named in a comment first, as pg_stat_activity shows only the start of a long statement.
     */
    public static final String PROBE_SQL = "/* restore usage requests: probe */ with "
            // A request whose old id this restore has already mapped is that request: a newer file of the
            // chain brought it first (RestoreService reads chains newest first), perhaps with another status.
            + "m as materialized (select f.ord, f.old_id, coalesce((select n.new_id from restore_request_ids n "
            + "where n.old_id = f.old_id), (select r.id from requests r "
            + "left join projects p on p.id = r.project_id left join channels c on c.id = r.channel_id "
            + "left join api_keys k on k.id = r.api_key_id "
            + "where " + fingerprintMatches() + " "
            + "and coalesce(p.name, '') = coalesce(f.project_match, '') "
            + "and (coalesce(c.name, '') = coalesce(f.channel_match, '') or (c.name is null and not f.channel_found)) "
            + "and (f.api_key is null or k.key is null or k.key = f.api_key) "
            + "order by (k.key = f.api_key) is true desc, r.id limit 1)) as match_id "
            + "from " + unnest(1, PROBE_PARAMETERS) + " f), "
            + "mapped as (insert into restore_request_ids (old_id, new_id) "
            + "select old_id, match_id from m where match_id is not null and old_id is not null "
            + "on conflict (old_id) do nothing) "
            + "select coalesce(array_agg(ord order by ord) filter (where match_id is null), '{}') from m";

    /** The insert's arrays: a request's place and old id, then its own columns. */
    public static final List<Column> INSERT_PARAMETERS = all(REQUEST_KEY_COLUMNS, REQUEST_COLUMNS);

    /** Inserts requests (none of them here), ids from the sequence in file order, and maps old id → new id. */
    public static final String INSERT_SQL = "/* restore usage requests */ with "
            // The sequence's name once per statement: as an expression of each row it took a tenth of PostgreSQL's time.
            + "s as materialized (select pg_get_serial_sequence('requests', 'id')::regclass as seq), "
            + "fresh as materialized (select nextval((select seq from s)) as new_id, f.* from "
            + unnest(1, INSERT_PARAMETERS) + " f order by f.ord), "
            + "inserted as (insert into requests (id, " + names(REQUEST_COLUMNS, "") + ") select new_id, "
            + names(REQUEST_COLUMNS, "fresh.") + " from fresh) "
            + "insert into restore_request_ids (old_id, new_id) select old_id, new_id from fresh where old_id is not null "
            + "on conflict (old_id) do nothing";

    /** The log targets' arrays: a log's place and its request's old id. */
    public static final List<Column> LOG_TARGETS_PARAMETERS = LOG_KEY_COLUMNS;

    /**
     * Which logs of the batch to insert, with only their places and request ids: one per request, the
     * file's first log of each request restored or found here that has none yet; with its request's id
     * here. One row: the places (int array) and the request ids here (bigint array), in file order.
     */
    public static final String LOG_TARGETS_SQL = "/* restore usage logs: targets */ select "
            + "coalesce(array_agg(ord order by ord), '{}'), coalesce(array_agg(new_id order by ord), '{}') from ("
            + "select distinct on (m.new_id) x.ord, m.new_id from " + unnest(1, LOG_TARGETS_PARAMETERS) + " x "
            + "join restore_request_ids m on m.old_id = x.request_id "
            + "where not exists (select 1 from usage_logs u where u.request_id = m.new_id) "
            + "order by m.new_id, x.ord) t";

    /** The logs insert's arrays: the request's id here, then the log's own columns. */
    public static final List<Column> LOGS_PARAMETERS = all(LOG_INSERT_COLUMNS, UsageColumns.LOGS);

    public static final String LOGS_SQL = "/* restore usage logs */ insert into usage_logs (request_id, "
            + names(UsageColumns.LOGS, "") + ") "
            + "select x.request_here, " + names(UsageColumns.LOGS, "x.") + " from " + unnest(1, LOGS_PARAMETERS) + " x";

    /** Of the old request ids $1 (bigint array), those mapped here to a request that has a usage log. */
    public static final String MAPPED_WITH_LOG_SQL = "select m.old_id from restore_request_ids m where m.old_id = any($1::bigint[]) "
            + "and exists (select 1 from usage_logs u where u.request_id = m.new_id)";

    /** The request's own fingerprint columns equal here ({@code r}) and in the file ({@code f}); null as ''. */
    private static String fingerprintMatches() {
        return UsageColumns.REQUEST_FINGERPRINT.stream().map(name -> UsageColumns.named(UsageColumns.REQUESTS, name).nullable()
                ? "coalesce(r." + name + ", '') = coalesce(f." + name + ", '')" : "r." + name + " = f." + name)
                .collect(Collectors.joining(" and "));
    }

    /**
     * The batch's rows from its typed arrays (parameters from {@code $first} on), as a subquery.
     * unnest in the select list (value per call) rather than {@code from unnest(a, b, ...)}, which
     * stores each array's elements as tuples first: a fifth less of PostgreSQL's time for an insert.
     */
    private static String unnest(int first, List<Column> columns) {
        StringBuilder sql = new StringBuilder("(select ");
        for (int i = 0; i < columns.size(); i++) {
            String type = columns.get(i).type().equals("jsonb") ? "text" : columns.get(i).type();
            sql.append(i == 0 ? "" : ", ").append("unnest($").append(first + i).append("::").append(type).append("[]) as ")
                    .append(columns.get(i).name());
        }
        return sql.append(")").toString();
    }

    /** Column names for an insert or its select ({@code prefix} "x."), JSON text cast to jsonb. */
    private static String names(List<Column> columns, String prefix) {
        return columns.stream().map(c -> prefix.isEmpty() ? c.name()
                : prefix + c.name() + (c.type().equals("jsonb") ? "::jsonb" : "")).collect(Collectors.joining(", "));
    }
}
