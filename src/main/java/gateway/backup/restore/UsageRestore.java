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
 * Old request id → new id goes to a temporary table of the transaction, so memory does not grow
 * with the number of requests. Logs: their places and request ids first, then only those to insert.
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
            return select(UsageRestoreStatements.ANY_IN_RANGE_SQL, new Object[] {first, last})
                    .chain(found -> (Boolean) found.next()[0] ? probe(requests) : Uni.createFrom().item(requests))
                    .chain(fresh -> (fresh.isEmpty() ? Uni.createFrom().voidItem()
                            : update(UsageRestoreStatements.INSERT_SQL, arrays(fresh, INSERT_COLUMNS)).replaceWithVoid())
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
        return select(UsageRestoreStatements.PROBE_SQL, arrays(requests, PROBE_COLUMNS)).map(rows -> {
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
    Uni<Void> restoreLogs(List<LogRow> batch, ReferenceResolver refs, RestoreReport report) {
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
            Uni<Integer> inserted = logs.isEmpty() ? Uni.createFrom().item(0) : insertLogs(logs);
            return inserted.chain(count -> warnMissingProjects(withoutProject, report).invoke(() -> {
                report.kind(kind).created += count;
                report.kind(kind).skipped += batch.size() - count;
            }));
        });
    }

    /** Asks which logs to insert with their places and request ids only, then sends those whole. */
    private static Uni<Integer> insertLogs(List<LogRow> logs) {
        return select(UsageRestoreStatements.LOG_TARGETS_SQL, arrays(logs, LOG_TARGETS_COLUMNS)).chain(rows -> {
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
            return targets.isEmpty() ? Uni.createFrom().item(0) : update(UsageRestoreStatements.LOGS_SQL, arrays(targets, LOGS_COLUMNS));
        });
    }

    /** A log whose project is missing is skipped with a warning, unless its request here already has its log. */
    private static Uni<Void> warnMissingProjects(List<LogRow> logs, RestoreReport report) {
        if (logs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] ids = logs.stream().map(l -> l.requestId).toArray(Long[]::new);
        return select(UsageRestoreStatements.MAPPED_WITH_LOG_SQL, new Object[] {ids})
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
