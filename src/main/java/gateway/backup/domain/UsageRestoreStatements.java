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
 * id → new id is kept by the caller (restore.RequestIds), in a temporary table of the transaction,
 * {@code restore_request_ids}, only past its bound in memory: the statements look up there what they
 * are not given.
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

    /** Where a request was in the file. */
    private static final List<Column> REQUEST_KEY_COLUMNS = List.of(column("ord", "int"));

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

    /** Where a log was in the file, its request's id there and, when the caller knows it, here. */
    private static final List<Column> LOG_KEY_COLUMNS = List.of(column("ord", "int"), column("request_id", "bigint"),
            column("request_here", "bigint"));

    private static final List<Column> LOG_INSERT_COLUMNS = List.of(column("request_here", "bigint"));

    /** Creates the transaction's table of old request id → new id, and sets what the batches' statements need. */
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
     * a key not found). $1 and $2 are the batch's first and last time: one join with the requests in
     * that range (one index range scan, then a hash join in the plans seen) rather than a look-up and a
     * sort per request. Answers each request's match here, null if none (one bigint array, in file
     * order): only those without one are sent whole. Named in a comment first, as pg_stat_activity
     * shows only the start of a long statement.
     */
    public static final String PROBE_SQL = "/* restore usage requests: probe */ with "
            + "f as materialized " + unnest(3, PROBE_PARAMETERS) + ", "
            + "found as (select distinct on (f.ord) f.ord, r.id from f join requests r on " + fingerprintMatches() + " "
            + "left join projects p on p.id = r.project_id left join channels c on c.id = r.channel_id "
            + "left join api_keys k on k.id = r.api_key_id "
            + "where r.created_at between $1 and $2 "
            + "and coalesce(p.name, '') = coalesce(f.project_match, '') "
            + "and (coalesce(c.name, '') = coalesce(f.channel_match, '') or (c.name is null and not f.channel_found)) "
            + "and (f.api_key is null or k.key is null or k.key = f.api_key) "
            + "order by f.ord, (k.key = f.api_key) is true desc, r.id) "
            // A request whose old id this restore has already mapped is that request: a newer file of the
            // chain brought it first (RestoreService reads chains newest first), perhaps with another status.
            // The caller has looked in memory; here only in the table.
            + "select coalesce(array_agg(coalesce((select n.new_id from restore_request_ids n where n.old_id = f.old_id), "
            + "found.id) order by f.ord), '{}') from f left join found on found.ord = f.ord";

    /** The insert's arrays: a request's place, then its own columns. */
    public static final List<Column> INSERT_PARAMETERS = all(REQUEST_KEY_COLUMNS, REQUEST_COLUMNS);

    /** Inserts requests (none of them here), ids from the sequence in file order; answers those ids (one bigint array). */
    public static final String INSERT_SQL = "/* restore usage requests */ with "
            // The sequence's name once per statement: as an expression of each row it took a tenth of PostgreSQL's time.
            + "s as materialized (select pg_get_serial_sequence('requests', 'id')::regclass as seq), "
            + "fresh as materialized (select nextval((select seq from s)) as new_id, f.* from "
            + unnest(1, INSERT_PARAMETERS) + " f order by f.ord), "
            + "inserted as (insert into requests (id, " + names(REQUEST_COLUMNS, "") + ") select new_id, "
            + names(REQUEST_COLUMNS, "fresh.") + " from fresh) "
            + "select coalesce(array_agg(new_id order by ord), '{}') from fresh";

    /** Maps old request ids $1 → ids here $2 (bigint arrays) in the table; an old id mapped stays as it is. */
    public static final String MAP_SQL = "insert into restore_request_ids (old_id, new_id) "
            + "select unnest($1::bigint[]), unnest($2::bigint[]) on conflict (old_id) do nothing";

    /** The log targets' arrays: a log's place, its request's old id and, if known, its id here. */
    public static final List<Column> LOG_TARGETS_PARAMETERS = LOG_KEY_COLUMNS;

    /**
     * Which of these logs to insert, with only their places and request ids: one per request, the
     * first of each request restored or found here (its id here given, else looked up in the table)
     * that has none yet; with its request's id here. One row: the places (int array) and the request
     * ids here (bigint array), in file order.
     */
    public static final String LOG_TARGETS_SQL = "/* restore usage logs: targets */ select "
            + "coalesce(array_agg(ord order by ord), '{}'), coalesce(array_agg(new_id order by ord), '{}') from ("
            + "select distinct on (m.new_id) m.ord, m.new_id from (select x.ord, coalesce(x.request_here, "
            + "(select n.new_id from restore_request_ids n where n.old_id = x.request_id)) as new_id "
            + "from " + unnest(1, LOG_TARGETS_PARAMETERS) + " x) m "
            + "where m.new_id is not null and not exists (select 1 from usage_logs u where u.request_id = m.new_id) "
            + "order by m.new_id, m.ord) t";

    /** The logs insert's arrays: the request's id here, then the log's own columns. */
    public static final List<Column> LOGS_PARAMETERS = all(LOG_INSERT_COLUMNS, UsageColumns.LOGS);

    public static final String LOGS_SQL = "/* restore usage logs */ insert into usage_logs (request_id, "
            + names(UsageColumns.LOGS, "") + ") "
            + "select x.request_here, " + names(UsageColumns.LOGS, "x.") + " from " + unnest(1, LOGS_PARAMETERS) + " x";

    /**
     * Of the old request ids $1 (bigint array), those mapped here to a request that has a usage log: to the
     * id here at the same place of $2 (bigint array), where null in the table.
     */
    public static final String MAPPED_WITH_LOG_SQL = "select m.old_id from (select x.old_id, coalesce(x.new_id, "
            + "(select n.new_id from restore_request_ids n where n.old_id = x.old_id)) as new_id "
            + "from (select unnest($1::bigint[]) as old_id, unnest($2::bigint[]) as new_id) x) m "
            + "where exists (select 1 from usage_logs u where u.request_id = m.new_id)";

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
