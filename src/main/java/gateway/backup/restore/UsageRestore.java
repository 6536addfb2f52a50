package gateway.backup.restore;

import gateway.backup.domain.RawSql;
import gateway.backup.domain.UsageColumns;
import gateway.backup.format.BackupFormat;
import gateway.backup.restore.UsageReader.LogRow;
import gateway.backup.restore.UsageReader.RequestRow;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.Array;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hibernate.reactive.pool.ReactiveConnection;

/**
 * Restores usage requests and usage logs with a few set-based statements per batch: the batch's
 * columns go to PostgreSQL as typed arrays (binary protocol, expanded with {@code unnest}; see
 * {@link RawSql}). Requests: one index look-up tells whether any request here falls in the batch's
 * time range; only then a probe, sent only the columns it compares, finds requests already here
 * (same fingerprint: time, model, format, source, status, stream, client IP, external id,
 * reasoning effort, project; then channel and API key). The others are sent whole and inserted.
 * Old request id → new id goes to a temporary table of the transaction, so memory does not grow
 * with the number of requests. Logs: their places and request ids first, then only those to insert.
 */
@ApplicationScoped
class UsageRestore {

    /** One column of a batch: its name, its PostgreSQL array type, the Java element type, the value of a row. */
    private record Column<R>(String name, String type, Class<?> javaType, Function<R, Object> value) {
    }

    private static <R> Column<R> column(String name, String type, Class<?> javaType, Function<R, Object> value) {
        return new Column<>(name, type, javaType, value);
    }

    /** The domain's columns ({@link UsageColumns}) with each one's value in a row; every column needs one. */
    private static <R> List<Column<R>> columns(List<UsageColumns.Column> columns, Map<String, Function<R, Object>> values) {
        return columns.stream().map(c -> column(c.name(), c.type(), switch (c.type()) {
            case "timestamptz" -> OffsetDateTime.class;
            case "bigint" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double precision" -> Double.class;
            default -> String.class;
        }, Objects.requireNonNull(values.get(c.name()), () -> "no value for usage column " + c.name()))).toList();
    }

    /** The request's own columns, as inserted. */
    private static final List<Column<RequestRow>> REQUEST_COLUMNS = columns(
            Stream.concat(UsageColumns.REQUESTS.stream(), UsageColumns.REQUEST_PAYLOADS.stream()).toList(),
            Map.ofEntries(
                    Map.entry("created_at", r -> r.createdAt),
                    Map.entry("updated_at", r -> r.updatedAt),
                    Map.entry("api_key_id", r -> r.apiKeyHere),
                    Map.entry("project_id", r -> r.projectHere),
                    Map.entry("trace_id", r -> r.traceId),
                    Map.entry("data_storage_id", r -> r.dataStorageId),
                    Map.entry("source", r -> r.source),
                    Map.entry("model_id", r -> r.modelId),
                    Map.entry("reasoning_effort", r -> r.reasoningEffort),
                    Map.entry("format", r -> r.format),
                    Map.entry("request_headers", r -> r.requestHeaders),
                    Map.entry("request_body", r -> r.requestBody),
                    Map.entry("response_body", r -> r.responseBody),
                    Map.entry("response_chunks", r -> r.responseChunks),
                    Map.entry("channel_id", r -> r.channelHere),
                    Map.entry("external_id", r -> r.externalId),
                    Map.entry("status", r -> r.status),
                    Map.entry("stream", r -> r.stream),
                    Map.entry("client_ip", r -> r.clientIp),
                    Map.entry("metrics_latency_ms", r -> r.metricsLatencyMs),
                    Map.entry("metrics_first_token_latency_ms", r -> r.metricsFirstTokenLatencyMs),
                    Map.entry("metrics_reasoning_duration_ms", r -> r.metricsReasoningDurationMs),
                    Map.entry("content_saved", r -> r.contentSaved),
                    Map.entry("content_storage_id", r -> r.contentStorageId),
                    Map.entry("content_storage_key", r -> r.contentStorageKey),
                    Map.entry("content_saved_at", r -> r.contentSavedAt)));

    /** Where a request was in the file, and its id there. */
    private static final List<Column<RequestRow>> REQUEST_KEY_COLUMNS = List.of(
            column("ord", "int", Integer.class, r -> r.index),
            column("old_id", "bigint", Long.class, r -> r.id));

    /** What a request of the file is matched by besides its fingerprint, and where it was in the file. */
    private static final List<Column<RequestRow>> REQUEST_MATCH_COLUMNS = List.of(
            column("ord", "int", Integer.class, r -> r.index),
            column("old_id", "bigint", Long.class, r -> r.id),
            column("project_match", "text", String.class, r -> r.projectMatch),
            column("channel_match", "text", String.class, r -> r.channelMatch),
            column("channel_found", "boolean", Boolean.class, r -> r.channelHere != null),
            column("api_key", "text", String.class, r -> r.apiKey));

    private static final List<Column<LogRow>> LOG_COLUMNS = columns(UsageColumns.LOGS, logValues());

    private static Map<String, Function<LogRow, Object>> logValues() {
        Map<String, Function<LogRow, Object>> values = new HashMap<>(Map.of(
                "created_at", l -> l.createdAt,
                "updated_at", l -> l.updatedAt,
                "api_key_id", l -> l.apiKeyHere,
                "project_id", l -> l.projectHere,
                "channel_id", l -> l.channelHere,
                "model_id", l -> l.modelId,
                "source", l -> l.source,
                "format", l -> l.format,
                "total_cost", l -> l.totalCost,
                "cost_items", l -> l.costItems));
        values.put("cost_price_reference_id", l -> l.costPriceReferenceId);
        for (int i = 0; i < UsageColumns.TOKENS.size(); i++) {
            int token = i;
            values.put(UsageColumns.TOKENS.get(i), l -> l.tokens[token]);
        }
        return values;
    }

    private static final List<Column<LogRow>> LOG_KEY_COLUMNS = List.of(
            column("ord", "int", Integer.class, l -> l.index),
            column("request_id", "bigint", Long.class, l -> l.requestId));

    private static final List<Column<LogRow>> LOG_INSERT_COLUMNS = List.of(
            column("request_here", "bigint", Long.class, l -> l.requestHere));

    /** A request's fingerprint columns, as the probe gets them. */
    private static final List<Column<RequestRow>> FINGERPRINT_COLUMNS = REQUEST_COLUMNS.stream()
            .filter(c -> UsageColumns.REQUEST_FINGERPRINT.contains(c.name())).toList();

    /** Whether any request here falls in the batch's time range; if none, the batch needs no probe. */
    private static final String ANY_IN_RANGE_SQL = "select exists (select 1 from requests r where r.created_at between $1 and $2)";

    /**
     * The probe, with only the columns it compares: requests already here at the same time with the
     * same fingerprint (names of soft-deleted projects and channels count too: deleting one between two
     * restores adds nothing); the same channel name, or none here when the file's channel is not found;
     * the same API key value first, else one with a key missing on one side (a file made without keys,
     * a key not found). Maps those found and answers the others' places: only they are sent whole.
     * Named in a comment first, as pg_stat_activity shows only the start of a long statement.
     */
    private static final String PROBE_SQL = "/* restore usage requests: probe */ with "
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
            + "from " + unnest(1, REQUEST_MATCH_COLUMNS, FINGERPRINT_COLUMNS) + " f), "
            + "mapped as (insert into restore_request_ids (old_id, new_id) "
            + "select old_id, match_id from m where match_id is not null and old_id is not null "
            + "on conflict (old_id) do nothing) "
            + "select coalesce(array_agg(ord order by ord) filter (where match_id is null), '{}') from m";

    /** Inserts requests (none of them here), ids from the sequence in file order, and maps old id → new id. */
    private static final String INSERT_SQL = "/* restore usage requests */ with "
            // The sequence's name once per statement: as an expression of each row it took a tenth of PostgreSQL's time.
            + "s as materialized (select pg_get_serial_sequence('requests', 'id')::regclass as seq), "
            + "fresh as materialized (select nextval((select seq from s)) as new_id, f.* from "
            + unnest(1, REQUEST_KEY_COLUMNS, REQUEST_COLUMNS) + " f order by f.ord), "
            + "inserted as (insert into requests (id, " + names(REQUEST_COLUMNS, "") + ") select new_id, "
            + names(REQUEST_COLUMNS, "fresh.") + " from fresh) "
            + "insert into restore_request_ids (old_id, new_id) select old_id, new_id from fresh where old_id is not null "
            + "on conflict (old_id) do nothing";

    /**
     * Which logs of the batch to insert, with only their places and request ids: one per request, the
     * file's first log of each request restored or found here that has none yet; with its request's id here.
     */
    private static final String LOG_TARGETS_SQL = "/* restore usage logs: targets */ select "
            + "coalesce(array_agg(ord order by ord), '{}'), coalesce(array_agg(new_id order by ord), '{}') from ("
            + "select distinct on (m.new_id) x.ord, m.new_id from " + unnest(1, LOG_KEY_COLUMNS) + " x "
            + "join restore_request_ids m on m.old_id = x.request_id "
            + "where not exists (select 1 from usage_logs u where u.request_id = m.new_id) "
            + "order by m.new_id, x.ord) t";

    private static final String LOGS_SQL = "/* restore usage logs */ insert into usage_logs (request_id, " + names(LOG_COLUMNS, "") + ") "
            + "select x.request_here, " + names(LOG_COLUMNS, "x.") + " from " + unnest(1, LOG_INSERT_COLUMNS, LOG_COLUMNS) + " x";

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
    @SafeVarargs
    private static <R> String unnest(int first, List<Column<R>>... groups) {
        List<Column<R>> columns = all(groups);
        StringBuilder sql = new StringBuilder("(select ");
        for (int i = 0; i < columns.size(); i++) {
            String type = columns.get(i).type().equals("jsonb") ? "text" : columns.get(i).type();
            sql.append(i == 0 ? "" : ", ").append("unnest($").append(first + i).append("::").append(type).append("[]) as ")
                    .append(columns.get(i).name());
        }
        return sql.append(")").toString();
    }

    /** Column names for an insert or its select ({@code prefix} "x."), JSON text cast to jsonb. */
    private static <R> String names(List<Column<R>> columns, String prefix) {
        return columns.stream().map(c -> prefix.isEmpty() ? c.name()
                : prefix + c.name() + (c.type().equals("jsonb") ? "::jsonb" : "")).collect(Collectors.joining(", "));
    }

    @SafeVarargs
    private static <R> List<Column<R>> all(List<Column<R>>... groups) {
        List<Column<R>> columns = new ArrayList<>();
        for (List<Column<R>> group : groups) {
            columns.addAll(group);
        }
        return columns;
    }

    /** The batch as one typed array per column. */
    @SafeVarargs
    private static <R> Object[] arrays(List<R> rows, List<Column<R>>... groups) {
        List<Column<R>> columns = all(groups);
        Object[] arrays = new Object[columns.size()];
        for (int c = 0; c < arrays.length; c++) {
            Column<R> column = columns.get(c);
            Object[] values = (Object[]) Array.newInstance(column.javaType(), rows.size());
            for (int i = 0; i < values.length; i++) {
                values[i] = column.value().apply(rows.get(i));
            }
            arrays[c] = values;
        }
        return arrays;
    }

    private static Uni<ReactiveConnection.Result> select(String sql, Object[] parameters) {
        return RawSql.select(Panache.getSession(), sql, parameters);
    }

    private static Uni<Integer> update(String sql, Object[] parameters) {
        return RawSql.update(Panache.getSession(), sql, parameters);
    }

    Uni<Void> begin() {
        return Panache.getSession().chain(s -> s.createNativeQuery("create temp table if not exists "
                + "restore_request_ids (old_id bigint primary key, new_id bigint not null) on commit drop")
                .executeUpdate()
                // The usage tables grow inside this transaction while their statistics stay as they were
                // (often: empty), so the planner would scan them whole for every probe; the probes and
                // look-ups all have indexes (created_at, request_id, primary keys).
                .chain(() -> s.createNativeQuery("set local enable_seqscan = off").executeUpdate())
                // A batch's statement is planned for its parameters each time; the probe's cost per row,
                // times a batch, crosses jit_above_cost, and compiling took 40 times longer than running it.
                .chain(() -> s.createNativeQuery("set local jit = off").executeUpdate()))
                .replaceWithVoid();
    }

    Uni<Void> restoreRequests(List<RequestRow> batch, ReferenceResolver refs, RestoreReport report) {
        String kind = BackupFormat.USAGE_REQUESTS;
        return refs.prepare(batch).chain(() -> {
            List<RequestRow> requests = new ArrayList<>(batch.size());
            for (RequestRow request : batch) {
                if (resolve(request, refs, report)) {
                    requests.add(request);
                } else {
                    report.skipped(kind);
                }
            }
            if (requests.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            OffsetDateTime first = requests.get(0).createdAt;
            OffsetDateTime last = first;
            for (RequestRow request : requests) {
                first = request.createdAt.isBefore(first) ? request.createdAt : first;
                last = request.createdAt.isAfter(last) ? request.createdAt : last;
            }
            return select(ANY_IN_RANGE_SQL, new Object[] {first, last})
                    .chain(found -> (Boolean) found.next()[0] ? probe(requests) : Uni.createFrom().item(requests))
                    .chain(fresh -> (fresh.isEmpty() ? Uni.createFrom().voidItem()
                            : update(INSERT_SQL, arrays(fresh, REQUEST_KEY_COLUMNS, REQUEST_COLUMNS)).replaceWithVoid())
                            .invoke(() -> {
                                report.kind(kind).created += fresh.size();
                                report.kind(kind).skipped += requests.size() - fresh.size();
                                // Warnings of the requests inserted, in file order.
                                for (RequestRow request : fresh) {
                                    if (request.warnings != null) {
                                        request.warnings.forEach(report::warn);
                                    }
                                }
                            }));
        });
    }

    /** The requests of the batch not found here, in file order; those found are mapped to theirs. */
    private static Uni<List<RequestRow>> probe(List<RequestRow> requests) {
        return select(PROBE_SQL, arrays(requests, REQUEST_MATCH_COLUMNS, FINGERPRINT_COLUMNS)).map(rows -> {
            Integer[] fresh = (Integer[]) rows.next()[0];
            List<RequestRow> inserted = new ArrayList<>(fresh.length);
            int next = 0;
            for (RequestRow request : requests) { // both in file order
                if (next < fresh.length && fresh[next] == request.index) {
                    next++;
                    inserted.add(request);
                }
            }
            return inserted;
        });
    }

    /** Resolves the request's references here; false (with a warning) when its project is missing. */
    private static boolean resolve(RequestRow request, ReferenceResolver refs, RestoreReport report) {
        request.projectHere = refs.project(request.projectName, request.projectId);
        if (request.projectHere == null) {
            report.warn(request.where + ": project \"" + (request.projectName == null ? request.projectId
                    : request.projectName) + "\" not found; request skipped");
            return false;
        }
        request.channelHere = refs.channel(request.channelName, request.channelId);
        if (request.channelHere == null && (request.channelName != null || request.channelId != null)) {
            request.warn(request.where + ": channel \"" + (request.channelName == null ? request.channelId
                    : request.channelName) + "\" not found; request restored without channel");
        }
        request.apiKeyHere = refs.apiKey(request.apiKey);
        if (request.apiKeyHere == null && request.apiKey != null) {
            request.warn(request.where + ": its API key (value withheld) was not found; request restored without key");
        }
        request.projectMatch = request.projectName != null ? request.projectName : refs.projectName(request.projectHere);
        request.channelMatch = request.channelName != null ? request.channelName : refs.channelName(request.channelHere);
        return true;
    }

    /** Inserts the batch's logs whose request was restored or found and has no log yet; one per request. */
    Uni<Void> restoreLogs(List<LogRow> batch, ReferenceResolver refs, RestoreReport report) {
        String kind = BackupFormat.USAGE_LOGS;
        return refs.prepare(batch).chain(() -> {
            List<LogRow> logs = new ArrayList<>(batch.size());
            List<LogRow> withoutProject = new ArrayList<>();
            for (LogRow log : batch) {
                log.projectHere = refs.project(log.projectName, log.projectId);
                log.channelHere = refs.channel(log.channelName, log.channelId);
                log.apiKeyHere = refs.apiKey(log.apiKey);
                if (log.projectHere == null && log.requestId != null) {
                    withoutProject.add(log);
                } else if (log.projectHere != null && log.requestId != null) {
                    logs.add(log);
                }
            }
            Uni<Integer> inserted = logs.isEmpty() ? Uni.createFrom().item(0) : insertLogs(logs);
            return inserted.chain(count -> warnMissingProjects(withoutProject, report).invoke(() -> {
                report.kind(kind).created += count;
                report.kind(kind).skipped += batch.size() - count;
            }));
        });
    }

    /** Asks which logs to insert with their places and request ids only, then sends those whole. */
    private static Uni<Integer> insertLogs(List<LogRow> logs) {
        return select(LOG_TARGETS_SQL, arrays(logs, LOG_KEY_COLUMNS)).chain(rows -> {
            Object[] row = rows.next();
            Integer[] places = (Integer[]) row[0];
            Long[] requests = (Long[]) row[1];
            List<LogRow> targets = new ArrayList<>(places.length);
            int next = 0;
            for (LogRow log : logs) { // both in file order
                if (next < places.length && places[next] == log.index) {
                    log.requestHere = requests[next++];
                    targets.add(log);
                }
            }
            return targets.isEmpty() ? Uni.createFrom().item(0) : update(LOGS_SQL, arrays(targets, LOG_INSERT_COLUMNS, LOG_COLUMNS));
        });
    }

    /** A log whose project is missing is skipped with a warning, unless its request here already has its log. */
    private static Uni<Void> warnMissingProjects(List<LogRow> logs, RestoreReport report) {
        if (logs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] ids = logs.stream().map(l -> l.requestId).toArray(Long[]::new);
        return select("select m.old_id from restore_request_ids m where m.old_id = any($1::bigint[]) "
                + "and exists (select 1 from usage_logs u where u.request_id = m.new_id)", new Object[] {ids})
                .invoke(rows -> {
                    Set<Long> haveLog = new HashSet<>();
                    rows.forEachRemaining(row -> haveLog.add(((Number) row[0]).longValue()));
                    for (LogRow log : logs) {
                        if (!haveLog.contains(log.requestId)) {
                            report.warn(log.where + ": project \"" + (log.projectName == null ? log.projectId
                                    : log.projectName) + "\" not found; usage log skipped");
                        }
                    }
                }).replaceWithVoid();
    }
}
