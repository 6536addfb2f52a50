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

    /** A batch of requests' arrays: place, old id and what they are matched by besides their fingerprint, then their own columns. */
    public static final List<Column> REQUESTS_PARAMETERS = all(REQUEST_MATCH_COLUMNS, REQUEST_COLUMNS);

    /** The probe's columns: where the batch's requests are, what they are matched by, their fingerprint. */
    private static final List<Column> PROBE_COLUMNS = all(REQUEST_MATCH_COLUMNS, FINGERPRINT_COLUMNS);

    /** Those of an inserted request: where it was, its old id, its own columns. */
    private static final List<Column> INSERTED_COLUMNS = all(REQUEST_MATCH_COLUMNS.subList(0, 2), REQUEST_COLUMNS);

    /**
     * A batch of requests in one statement, so that the batches can follow each other on the connection
     * with no round trip to the service between a probe and its insert. First one index look-up: whether
     * any request here falls in the batch's time range; only then (a CTE is computed only where it is
     * read, and the reads of {@code m} are behind that look-up) each request is probed, with only the
     * columns it compares: requests already here at the same time with the same fingerprint (names of
     * soft-deleted projects and channels count too: deleting one between two restores adds nothing); the
     * same channel name, or none here when the file's channel is not found; the same API key value first,
     * else one with a key missing on one side (a file made without keys, a key not found). The others are
     * inserted, ids from the sequence in file order. Old id → id here goes to the map, those found before
     * those inserted. Answers the places of those inserted (one int array). Named in a comment first, as
     * pg_stat_activity shows only the start of a long statement.
     */
    public static final String REQUESTS_SQL = "/* restore usage requests */ with "
            + "here as materialized (select exists (select 1 from requests r where r.created_at "
            + "between (select min(t) from unnest(" + parameter("created_at") + ") t) "
            + "and (select max(t) from unnest(" + parameter("created_at") + ") t)) as found), "
            // Computed only where scanned: not at all when no request here falls in the batch's range.
            + "m as materialized (select f.ord, f.old_id, "
            // A request whose old id this restore has already mapped is that request: a newer file of the
            // chain brought it first (RestoreService reads chains newest first), perhaps with another status.
            + "coalesce((select n.new_id from restore_request_ids n where n.old_id = f.old_id), (select r.id from requests r "
            + "left join projects p on p.id = r.project_id left join channels c on c.id = r.channel_id "
            + "left join api_keys k on k.id = r.api_key_id "
            + "where " + fingerprintMatches() + " "
            + "and coalesce(p.name, '') = coalesce(f.project_match, '') "
            + "and (coalesce(c.name, '') = coalesce(f.channel_match, '') or (c.name is null and not f.channel_found)) "
            + "and (f.api_key is null or k.key is null or k.key = f.api_key) "
            + "order by (k.key = f.api_key) is true desc, r.id limit 1)) as match_id "
            + "from " + unnest(REQUESTS_PARAMETERS, PROBE_COLUMNS) + " f), "
            // The sequence's name once per statement: as an expression of each row it took a tenth of PostgreSQL's time.
            + "s as materialized (select pg_get_serial_sequence('requests', 'id')::regclass as seq), "
            + "fresh as materialized (select nextval((select seq from s)) as new_id, f.* from "
            + unnest(REQUESTS_PARAMETERS, INSERTED_COLUMNS) + " f "
            + "where not (select found from here) or f.ord in (select ord from m where match_id is null) order by f.ord), "
            + "inserted as (insert into requests (id, " + names(REQUEST_COLUMNS, "") + ") select new_id, "
            + names(REQUEST_COLUMNS, "fresh.") + " from fresh), "
            + "mapped as (insert into restore_request_ids (old_id, new_id) select old_id, new_id from ("
            + "select m.old_id, m.match_id as new_id, false as inserted, m.ord from m "
            + "where (select found from here) and m.match_id is not null "
            + "union all select old_id, new_id, true, ord from fresh) x "
            + "where old_id is not null order by inserted, ord on conflict (old_id) do nothing) "
            + "select coalesce(array_agg(ord order by ord), '{}') from fresh";

    /** A batch of logs' arrays: a log's place and its request's old id, then the log's own columns. */
    public static final List<Column> LOGS_PARAMETERS = all(LOG_KEY_COLUMNS, UsageColumns.LOGS);

    /**
     * A batch of logs in one statement: one per request, the file's first log of each request restored or
     * found here that has none yet, inserted in file order with its request's id here. Answers how many.
     */
    public static final String LOGS_SQL = "/* restore usage logs */ with "
            + "t as materialized (select distinct on (m.new_id) x.ord, m.new_id from " + unnest(LOGS_PARAMETERS, LOG_KEY_COLUMNS) + " x "
            + "join restore_request_ids m on m.old_id = x.request_id "
            + "where not exists (select 1 from usage_logs u where u.request_id = m.new_id) "
            + "order by m.new_id, x.ord), "
            + "inserted as (insert into usage_logs (request_id, " + names(UsageColumns.LOGS, "") + ") "
            + "select t.new_id, " + names(UsageColumns.LOGS, "x.") + " from " + unnest(LOGS_PARAMETERS, LOGS_PARAMETERS) + " x "
            + "join t on t.ord = x.ord order by x.ord) "
            + "select count(*) from t";

    /** Of the old request ids $1 (bigint array), those mapped here to a request that has a usage log. */
    public static final String MAPPED_WITH_LOG_SQL = "select m.old_id from restore_request_ids m where m.old_id = any($1::bigint[]) "
            + "and exists (select 1 from usage_logs u where u.request_id = m.new_id)";

    /** The request's own fingerprint columns equal here ({@code r}) and in the file ({@code f}); null as ''. */
    private static String fingerprintMatches() {
        return UsageColumns.REQUEST_FINGERPRINT.stream().map(name -> UsageColumns.named(UsageColumns.REQUESTS, name).nullable()
                ? "coalesce(r." + name + ", '') = coalesce(f." + name + ", '')" : "r." + name + " = f." + name)
                .collect(Collectors.joining(" and "));
    }

    /** The array parameter of a batch of requests' column {@code name}, with its type. */
    private static String parameter(String name) {
        Column column = UsageColumns.named(REQUESTS_PARAMETERS, name);
        return "$" + (REQUESTS_PARAMETERS.indexOf(column) + 1) + "::" + arrayType(column);
    }

    private static String arrayType(Column column) {
        return (column.type().equals("jsonb") ? "text" : column.type()) + "[]";
    }

    /**
     * The batch's rows from its typed arrays, as a subquery: each of {@code columns} from its place in
     * the statement's {@code parameters} ({@code $1} the first). unnest in the select list (value per call)
     * rather than {@code from unnest(a, b, ...)}, which stores each array's elements as tuples first: a
     * fifth less of PostgreSQL's time for an insert.
     */
    private static String unnest(List<Column> parameters, List<Column> columns) {
        StringBuilder sql = new StringBuilder("(select ");
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            sql.append(i == 0 ? "" : ", ").append("unnest($").append(parameters.indexOf(column) + 1).append("::")
                    .append(arrayType(column)).append(") as ").append(column.name());
        }
        return sql.append(")").toString();
    }

    /** Column names for an insert or its select ({@code prefix} "x."), JSON text cast to jsonb. */
    private static String names(List<Column> columns, String prefix) {
        return columns.stream().map(c -> prefix.isEmpty() ? c.name()
                : prefix + c.name() + (c.type().equals("jsonb") ? "::jsonb" : "")).collect(Collectors.joining(", "));
    }
}
