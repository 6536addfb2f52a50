package gateway.backup.restore;

import gateway.backup.domain.RawSql;
import gateway.backup.domain.UsageColumns;
import gateway.backup.domain.UsageRestoreStatements;
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
import org.hibernate.reactive.pool.ReactiveConnection;

/**
 * Restores usage requests and usage logs with a few set-based statements per batch: the batch's
 * columns go to PostgreSQL as typed arrays (binary protocol, expanded with {@code unnest}; see
 * {@link RawSql}). Requests: one index look-up tells whether any request here falls in the batch's
 * time range; only then a probe, sent only the columns it compares, finds requests already here
 * (same fingerprint: time, model, format, source, status, stream, client IP, external id,
 * reasoning effort, project; then channel and API key). The others are sent whole and inserted.
 * Old request id → new id is kept in {@link RequestIds} (runs in memory, bounded; past that a
 * temporary table of the transaction). Logs: a log of a request this restore inserted and gave no
 * log yet is inserted straight away; the others' places and request ids are sent first, to learn
 * which have no log here, then only those are sent whole.
 * The statements' text is {@link UsageRestoreStatements}; here are the decisions and each column's value.
 */
@ApplicationScoped
class UsageRestore {

    /** One column of a batch: its name, its PostgreSQL array type, the Java element type, the value of a row. */
    private record Column<R>(String name, String type, Class<?> javaType, Function<R, Object> value) {
    }

    private static <R> Column<R> column(String name, String type, Class<?> javaType, Function<R, Object> value) {
        return new Column<>(name, type, javaType, value);
    }

    /** A statement's columns ({@link UsageRestoreStatements}) with each one's value in a row; every column needs one. */
    private static <R> List<Column<R>> columns(List<UsageColumns.Column> columns, Map<String, Function<R, Object>> values) {
        return columns.stream().map(c -> column(c.name(), c.type(), switch (c.type()) {
            case "timestamptz" -> OffsetDateTime.class;
            case "int" -> Integer.class;
            case "bigint" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double precision" -> Double.class;
            default -> String.class;
        }, Objects.requireNonNull(values.get(c.name()), () -> "no value for usage column " + c.name()))).toList();
    }

    /** A request's value of each column a statement sends. */
    private static final Map<String, Function<RequestRow, Object>> REQUEST_VALUES = Map.ofEntries(
            Map.entry("ord", r -> r.index),
            Map.entry("old_id", r -> r.id),
            Map.entry("project_match", r -> r.projectMatch),
            Map.entry("channel_match", r -> r.channelMatch),
            Map.entry("channel_found", r -> r.channelHere != null),
            Map.entry("api_key", r -> r.apiKey),
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
            Map.entry("content_saved_at", r -> r.contentSavedAt));

    private static final List<Column<RequestRow>> PROBE_COLUMNS = columns(UsageRestoreStatements.PROBE_PARAMETERS, REQUEST_VALUES);

    private static final List<Column<RequestRow>> INSERT_COLUMNS = columns(UsageRestoreStatements.INSERT_PARAMETERS, REQUEST_VALUES);

    /** A log's value of each column a statement sends. */
    private static final Map<String, Function<LogRow, Object>> LOG_VALUES = logValues();

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
        values.put("ord", l -> l.index);
        values.put("request_id", l -> l.requestId);
        values.put("request_here", l -> l.requestHere);
        return values;
    }

    private static final List<Column<LogRow>> LOG_TARGETS_COLUMNS = columns(UsageRestoreStatements.LOG_TARGETS_PARAMETERS, LOG_VALUES);

    private static final List<Column<LogRow>> LOGS_COLUMNS = columns(UsageRestoreStatements.LOGS_PARAMETERS, LOG_VALUES);

    /** The batch as one typed array per column. */
    private static <R> Object[] arrays(List<R> rows, List<Column<R>> columns) {
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
        return Panache.getSession().chain(UsageRestoreStatements::begin);
    }

    Uni<Void> restoreRequests(List<RequestRow> batch, ReferenceResolver refs, RequestIds ids, RestoreReport report) {
        String kind = BackupFormat.USAGE_REQUESTS;
        return refs.prepare(batch).chain(() -> {
            List<RequestRow> requests = new ArrayList<>(batch.size());
            for (RequestRow request : batch) {
                if (!resolve(request, refs, report)) {
                    report.skipped(kind);
                } else if (ids.get(request.id) != null) {
                    // Already mapped: a newer file of the chain brought it first (RestoreService reads
                    // chains newest first), perhaps with another status.
                    report.kind(kind).skipped++;
                } else {
                    requests.add(request);
                }
            }
            if (requests.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            // The batch's first and last time.
            OffsetDateTime[] range = {requests.get(0).createdAt, requests.get(0).createdAt};
            for (RequestRow request : requests) {
                range[0] = request.createdAt.isBefore(range[0]) ? request.createdAt : range[0];
                range[1] = request.createdAt.isAfter(range[1]) ? request.createdAt : range[1];
            }
            List<Long> spilled = new ArrayList<>();
            return select(UsageRestoreStatements.ANY_IN_RANGE_SQL, new Object[] {range[0], range[1]})
                    .chain(found -> (Boolean) found.next()[0] ? probe(requests, range, ids, spilled)
                            : Uni.createFrom().item(requests))
                    .chain(fresh -> (fresh.isEmpty() ? Uni.createFrom().voidItem()
                            : select(UsageRestoreStatements.INSERT_SQL, arrays(fresh, INSERT_COLUMNS))
                                    .invoke(rows -> map(fresh, (Long[]) rows.next()[0], true, ids, spilled)).replaceWithVoid())
                            .chain(() -> mapInTable(spilled))
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
    private static Uni<List<RequestRow>> probe(List<RequestRow> requests, OffsetDateTime[] range, RequestIds ids,
            List<Long> spilled) {
        Object[] arrays = arrays(requests, PROBE_COLUMNS);
        Object[] parameters = new Object[arrays.length + 2];
        System.arraycopy(range, 0, parameters, 0, 2);
        System.arraycopy(arrays, 0, parameters, 2, arrays.length);
        return select(UsageRestoreStatements.PROBE_SQL, parameters).map(rows -> {
            Long[] matches = (Long[]) rows.next()[0];
            List<RequestRow> fresh = new ArrayList<>();
            List<RequestRow> found = new ArrayList<>();
            List<Long> foundIds = new ArrayList<>();
            for (int i = 0; i < matches.length; i++) { // in file order
                if (matches[i] == null) {
                    fresh.add(requests.get(i));
                } else {
                    found.add(requests.get(i));
                    foundIds.add(matches[i]);
                }
            }
            map(found, foundIds.toArray(Long[]::new), false, ids, spilled);
            return fresh;
        });
    }

    /** Maps each request's old id to its id here; those memory cannot hold go to {@code spilled} (old, new, ...). */
    private static void map(List<RequestRow> requests, Long[] here, boolean inserted, RequestIds ids, List<Long> spilled) {
        for (int i = 0; i < here.length; i++) {
            Long old = requests.get(i).id;
            if (old != null && !ids.put(old, here[i], inserted)) {
                spilled.add(old);
                spilled.add(here[i]);
            }
        }
    }

    /** The mappings memory could not hold, into the transaction's table. */
    private static Uni<Void> mapInTable(List<Long> spilled) {
        if (spilled.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] old = new Long[spilled.size() / 2];
        Long[] here = new Long[old.length];
        for (int i = 0; i < old.length; i++) {
            old[i] = spilled.get(2 * i);
            here[i] = spilled.get(2 * i + 1);
        }
        return update(UsageRestoreStatements.MAP_SQL, new Object[] {old, here}).replaceWithVoid();
    }

    /** Resolves the request's references here; false (with a warning) when its project is missing. */
    private static boolean resolve(RequestRow request, ReferenceResolver refs, RestoreReport report) {
        refs.resolve(request);
        if (request.projectHere == null) {
            report.warn(request.where + ": project \"" + (request.projectName == null ? request.projectId
                    : request.projectName) + "\" not found; request skipped");
            return false;
        }
        if (request.channelHere == null && (request.channelName != null || request.channelId != null)) {
            request.warn(request.where + ": channel \"" + (request.channelName == null ? request.channelId
                    : request.channelName) + "\" not found; request restored without channel");
        }
        if (request.apiKeyHere == null && request.apiKey != null) {
            request.warn(request.where + ": its API key (value withheld) was not found; request restored without key");
        }
        request.projectMatch = request.projectName != null ? request.projectName : refs.projectName(request.projectHere);
        request.channelMatch = request.channelName != null ? request.channelName : refs.channelName(request.channelHere);
        return true;
    }

    /** Inserts the batch's logs whose request was restored or found and has no log yet; one per request. */
    Uni<Void> restoreLogs(List<LogRow> batch, ReferenceResolver refs, RequestIds ids, RestoreReport report) {
        String kind = BackupFormat.USAGE_LOGS;
        return refs.prepare(batch).chain(() -> {
            List<LogRow> logs = new ArrayList<>(batch.size());
            List<LogRow> withoutProject = new ArrayList<>();
            for (LogRow log : batch) {
                refs.resolve(log);
                if (log.projectHere == null && log.requestId != null) {
                    withoutProject.add(log);
                } else if (log.projectHere != null && log.requestId != null) {
                    logs.add(log);
                }
            }
            Uni<Integer> inserted = logs.isEmpty() ? Uni.createFrom().item(0) : insertLogs(logs, ids);
            return inserted.chain(count -> warnMissingProjects(withoutProject, ids, report).invoke(() -> {
                report.kind(kind).created += count;
                report.kind(kind).skipped += batch.size() - count;
            }));
        });
    }

    /**
     * Inserts the first log of each request restored or found here that has none: straight away for a
     * request this restore inserted and gave no log yet; for the others, asks first which have none,
     * with their places and request ids only.
     */
    private static Uni<Integer> insertLogs(List<LogRow> logs, RequestIds ids) {
        List<LogRow> direct = new ArrayList<>(logs.size());
        List<LogRow> ask = new ArrayList<>();
        Set<Long> batchHas = new HashSet<>(); // ids here this batch already gives a log
        for (LogRow log : logs) {
            log.requestHere = ids.get(log.requestId);
            if (log.requestHere == null) {
                if (ids.inTable()) {
                    ask.add(log); // looked up in the table
                }
            } else if (batchHas.add(log.requestHere)) {
                (ids.mayHaveLog(log.requestId, log.requestHere) ? ask : direct).add(log);
            }
        }
        Uni<List<LogRow>> targets = ask.isEmpty() ? Uni.createFrom().item(direct)
                : select(UsageRestoreStatements.LOG_TARGETS_SQL, arrays(ask, LOG_TARGETS_COLUMNS)).map(rows -> {
                    Object[] row = rows.next();
                    Integer[] places = (Integer[]) row[0];
                    Long[] here = (Long[]) row[1];
                    List<LogRow> answered = new ArrayList<>(places.length);
                    int next = 0;
                    for (LogRow log : ask) { // both in file order
                        if (next < places.length && places[next] == log.index) {
                            if (log.requestHere != null || batchHas.add(here[next])) {
                                log.requestHere = here[next];
                                answered.add(log);
                            }
                            next++;
                        }
                    }
                    return inFileOrder(direct, answered);
                });
        return targets.chain(write -> {
            if (write.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            write.forEach(log -> ids.logged(log.requestHere));
            return update(UsageRestoreStatements.LOGS_SQL, arrays(write, LOGS_COLUMNS));
        });
    }

    /** Two lists of logs in file order merged into one. */
    private static List<LogRow> inFileOrder(List<LogRow> a, List<LogRow> b) {
        List<LogRow> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            merged.add(j == b.size() || i < a.size() && a.get(i).index < b.get(j).index ? a.get(i++) : b.get(j++));
        }
        return merged;
    }

    /** A log whose project is missing is skipped with a warning, unless its request here already has its log. */
    private static Uni<Void> warnMissingProjects(List<LogRow> logs, RequestIds ids, RestoreReport report) {
        if (logs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] old = logs.stream().map(l -> l.requestId).toArray(Long[]::new);
        Long[] here = logs.stream().map(l -> ids.get(l.requestId)).toArray(Long[]::new);
        return select(UsageRestoreStatements.MAPPED_WITH_LOG_SQL, new Object[] {old, here})
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
