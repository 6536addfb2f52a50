package gateway.backup.restore;

import gateway.backup.domain.StatementPipeline;
import gateway.backup.domain.UsageColumns;
import gateway.backup.domain.UsageRestoreStatements;
import gateway.backup.format.BackupFormat;
import gateway.backup.restore.UsageReader.LogRow;
import gateway.backup.restore.UsageReader.RequestRow;
import gateway.backup.worker.Workers;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
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

/**
 * Restores usage requests and usage logs with one set-based statement per batch: the batch's columns
 * go to PostgreSQL as typed arrays (binary protocol, expanded with {@code unnest}), built on a worker
 * with the references resolved, so that the event loop only sends them; the statements follow each
 * other on the transaction's connection without waiting for each answer ({@link StatementPipeline}).
 * Requests: those already here (same fingerprint: time, model, format, source, status, stream, client
 * IP, external id, reasoning effort, project; then channel and API key) are mapped, the others inserted,
 * all in the statement. Old request id → new id goes to a temporary table of the transaction, so memory
 * does not grow with the number of requests. Logs: one per request that has none yet.
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

    private static final List<Column<RequestRow>> REQUESTS_COLUMNS = columns(UsageRestoreStatements.REQUESTS_PARAMETERS, REQUEST_VALUES);

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

    private static final List<Column<LogRow>> LOGS_COLUMNS = columns(UsageRestoreStatements.LOGS_PARAMETERS, LOG_VALUES);

    /**
     * Statements sent before the oldest one's answer is awaited: PostgreSQL always has the next batch
     * while the service builds the one after.
     */
    private static final int PIPELINE_DEPTH = 2;

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

    /** A batch of the file ready to send: its statement's arrays; what the report learns once its answer arrives. */
    interface Batch {

        /** The file's rows in the batch; 0 at the end of a section. */
        int rows();

        /** Sends the batch's statements; the report is told once they are answered. On the session's context. */
        Uni<Void> send(StatementPipeline pipeline, RestoreReport report);
    }

    Uni<Void> begin() {
        return Panache.getSession().chain(UsageRestoreStatements::begin);
    }

    /** The transaction's connection, for the batches' statements one after another. */
    Uni<StatementPipeline> pipeline() {
        return StatementPipeline.open(Panache.getSession(), PIPELINE_DEPTH);
    }

    /**
     * The names the batch brings looked up here (on the context), then on a worker each request resolved
     * and the batch's arrays built, so that the event loop only sends them.
     */
    Uni<Batch> requests(Context context, List<RequestRow> rows, ReferenceResolver refs) {
        return refs.prepare(rows).chain(() -> Workers.blocking(context, () -> {
            List<RequestRow> requests = new ArrayList<>(rows.size());
            List<String> skipped = new ArrayList<>();
            for (RequestRow request : rows) {
                if (resolve(request, refs, skipped)) {
                    requests.add(request);
                }
            }
            return new Requests(rows.size(), requests, skipped, arrays(requests, REQUESTS_COLUMNS));
        }));
    }

    /** A batch of requests: those to restore, and the warnings of those skipped. */
    private record Requests(int rows, List<RequestRow> requests, List<String> skipped, Object[] arrays) implements Batch {

        @Override
        public Uni<Void> send(StatementPipeline pipeline, RestoreReport report) {
            return pipeline.select(UsageRestoreStatements.REQUESTS_SQL, arrays, answer -> {
                Integer[] fresh = (Integer[]) answer.next()[0];
                RestoreReport.KindCounts counts = report.kind(BackupFormat.USAGE_REQUESTS);
                counts.created += fresh.length;
                counts.skipped += rows - fresh.length;
                skipped.forEach(report::warn);
                // Warnings of the requests inserted, in file order.
                int next = 0;
                for (RequestRow request : requests) { // both in file order
                    if (next < fresh.length && fresh[next] == request.index) {
                        next++;
                        if (request.warnings != null) {
                            request.warnings.forEach(report::warn);
                        }
                    }
                }
            });
        }
    }

    /** Resolves the request's references here; false (with a warning in {@code skipped}) when its project is missing. */
    private static boolean resolve(RequestRow request, ReferenceResolver refs, List<String> skipped) {
        refs.resolve(request);
        if (request.projectHere == null) {
            skipped.add(request.where + ": project \"" + (request.projectName == null ? request.projectId
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

    /** As {@link #requests}, for logs: those whose request was restored or found and has no log yet are inserted, one per request. */
    Uni<Batch> logs(Context context, List<LogRow> rows, ReferenceResolver refs) {
        return refs.prepare(rows).chain(() -> Workers.blocking(context, () -> {
            List<LogRow> logs = new ArrayList<>(rows.size());
            List<LogRow> withoutProject = new ArrayList<>();
            for (LogRow log : rows) {
                refs.resolve(log);
                if (log.projectHere == null && log.requestId != null) {
                    withoutProject.add(log);
                } else if (log.projectHere != null && log.requestId != null) {
                    logs.add(log);
                }
            }
            return new Logs(rows.size(), arrays(logs, LOGS_COLUMNS), withoutProject);
        }));
    }

    /** A batch of logs: those to restore as arrays, and those whose project is missing. */
    private record Logs(int rows, Object[] arrays, List<LogRow> withoutProject) implements Batch {

        @Override
        public Uni<Void> send(StatementPipeline pipeline, RestoreReport report) {
            Uni<Void> sent = pipeline.select(UsageRestoreStatements.LOGS_SQL, arrays, answer -> {
                int inserted = ((Number) answer.next()[0]).intValue();
                RestoreReport.KindCounts counts = report.kind(BackupFormat.USAGE_LOGS);
                counts.created += inserted;
                counts.skipped += rows - inserted;
            });
            return withoutProject.isEmpty() ? sent : sent.chain(() -> warnMissingProjects(pipeline, report));
        }

        /** A log whose project is missing is skipped with a warning, unless its request here already has its log. */
        private Uni<Void> warnMissingProjects(StatementPipeline pipeline, RestoreReport report) {
            Long[] ids = withoutProject.stream().map(l -> l.requestId).toArray(Long[]::new);
            return pipeline.select(UsageRestoreStatements.MAPPED_WITH_LOG_SQL, new Object[] {ids}, answer -> {
                Set<Long> haveLog = new HashSet<>();
                answer.forEachRemaining(row -> haveLog.add(((Number) row[0]).longValue()));
                for (LogRow log : withoutProject) {
                    if (!haveLog.contains(log.requestId)) {
                        report.warn(log.where + ": project \"" + (log.projectName == null ? log.projectId
                                : log.projectName) + "\" not found; usage log skipped");
                    }
                }
            });
        }
    }
}
