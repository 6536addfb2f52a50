package gateway.backup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.domain.UsageLogRepository;
import gateway.backup.format.BackupFormat;
import gateway.backup.restore.BackupReader.Element;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Restores usage requests and usage logs a batch at a time with a few statements per batch:
 * names resolved through {@link ReferenceResolver}, duplicates found with one probe per batch
 * (fingerprints of the existing requests at the batch's distinct timestamps), new rows
 * inserted in one statement. Old request id → new id lives in a temporary table of the
 * transaction, so memory does not grow with the number of requests.
 */
@ApplicationScoped
class UsageRestore {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> SOURCES = Set.of("api", "playground", "test");
    static final Set<String> STATUSES = Set.of("pending", "processing", "completed", "failed", "canceled");
    static final List<String> TOKEN_COLUMNS = UsageLogRepository.TOKEN_COLUMNS;

    static final String REQUEST_COLUMNS = "id bigint, created_at timestamptz, updated_at timestamptz, "
            + "api_key_id bigint, project_id bigint, trace_id bigint, data_storage_id bigint, source varchar, "
            + "model_id varchar, reasoning_effort varchar, format varchar, request_headers jsonb, request_body jsonb, "
            + "response_body jsonb, response_chunks jsonb, channel_id bigint, external_id varchar, status varchar, "
            + "stream boolean, client_ip varchar, metrics_latency_ms bigint, metrics_first_token_latency_ms bigint, "
            + "metrics_reasoning_duration_ms bigint, content_saved boolean, content_storage_id bigint, "
            + "content_storage_key varchar, content_saved_at timestamptz";
    static final String LOG_COLUMNS = "created_at timestamptz, updated_at timestamptz, api_key_id bigint, "
            + "project_id bigint, channel_id bigint, model_id varchar, " + String.join(" bigint, ", TOKEN_COLUMNS)
            + " bigint, source varchar, format varchar, total_cost double precision, cost_items jsonb, "
            + "cost_price_reference_id varchar";

    /** "a bigint, b varchar" → "a, b". */
    static String names(String columns) {
        return java.util.Arrays.stream(columns.split(",")).map(c -> c.trim().split(" ")[0])
                .collect(java.util.stream.Collectors.joining(", "));
    }

    Uni<Void> begin() {
        return Panache.getSession().chain(s -> s.createNativeQuery("create temp table if not exists "
                + "restore_request_ids (old_id bigint primary key, new_id bigint not null) on commit drop")
                .executeUpdate()
                // The usage tables grow inside this transaction while their statistics stay as they were
                // (often: empty), so the planner would scan them whole for every probe; the probes and
                // look-ups all have indexes (created_at, request_id, primary keys).
                .chain(() -> s.createNativeQuery("set local enable_seqscan = off").executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * A request of the file, read and resolved, with the warnings that hold only if it is
     * inserted (a duplicate of a request here restores nothing, so it warns of nothing).
     */
    private record FileRequest(Element element, Long oldId, String fingerprint, String channel, boolean channelFound,
            String key, ObjectNode row, List<String> warnings) {
    }

    Uni<Void> restoreRequests(List<Element> batch, ReferenceResolver refs, RestoreReport report) {
        String kind = BackupFormat.USAGE_REQUESTS;
        return refs.prepare(batch).chain(() -> {
            List<FileRequest> requests = new ArrayList<>();
            Set<String> timestamps = new LinkedHashSet<>();
            for (Element element : batch) {
                FileRequest request = read(element, refs, report);
                if (request == null) {
                    report.skipped(kind);
                } else {
                    requests.add(request);
                    timestamps.add(request.row().get("created_at").asText());
                }
            }
            return existingFingerprints(timestamps).chain(existing -> {
                ArrayNode idMap = JSON.createArrayNode();
                List<FileRequest> fresh = new ArrayList<>();
                for (FileRequest request : requests) {
                    Long match = existing.match(request);
                    if (match == null) {
                        fresh.add(request);
                    } else {
                        report.skipped(kind);
                        mapId(idMap, request.oldId(), match);
                    }
                }
                return insertRequests(fresh, idMap).invoke(() -> fresh.forEach(r -> {
                    report.created(kind);
                    r.warnings().forEach(report::warn);
                }))
                        .chain(() -> saveIdMap(idMap));
            });
        });
    }

    private static void mapId(ArrayNode idMap, Long oldId, long newId) {
        if (oldId != null) {
            idMap.addObject().put("old_id", oldId).put("new_id", newId);
        }
    }

    private FileRequest read(Element element, ReferenceResolver refs, RestoreReport report) {
        Fields f = new Fields(element);
        OffsetDateTime createdAt = f.time("created_at");
        if (createdAt == null) {
            throw new RestoreException("Invalid " + element.where() + ": created_at is required");
        }
        String projectName = f.text(BackupFormat.PROJECT_NAME);
        Long projectId = refs.project(projectName, f.number("project_id"));
        List<String> warnings = new ArrayList<>();
        String channelName = f.text(BackupFormat.CHANNEL_NAME);
        Long channelId = refs.channel(channelName, f.number("channel_id"));
        if (channelId == null && (channelName != null || f.number("channel_id") != null)) {
            warnings.add(element.where() + ": channel \"" + (channelName == null ? f.number("channel_id") : channelName)
                    + "\" not found; request restored without channel");
        }
        String key = f.text(BackupFormat.API_KEY_KEY);
        Long apiKeyId = refs.apiKey(key);
        if (apiKeyId == null && key != null) {
            warnings.add(element.where() + ": its API key (value withheld) was not found; request restored without key");
        }
        ObjectNode row = JSON.createObjectNode();
        row.put("created_at", createdAt.toString());
        row.put("updated_at", f.time("updated_at") == null ? createdAt.toString() : f.time("updated_at").toString());
        row.put("api_key_id", apiKeyId);
        row.put("project_id", projectId);
        row.put("trace_id", f.number("trace_id"));
        row.put("data_storage_id", f.number("data_storage_id"));
        row.put("source", f.oneOf("source", SOURCES, "api"));
        row.put("model_id", f.text("model_id", ""));
        row.put("reasoning_effort", f.text("reasoning_effort"));
        row.put("format", f.text("format", "openai/chat_completions"));
        row.set("request_headers", f.json("request_headers"));
        row.set("request_body", f.json("request_body") == null ? JSON.createObjectNode() : f.json("request_body"));
        row.set("response_body", f.json("response_body"));
        row.set("response_chunks", f.json("response_chunks"));
        row.put("channel_id", channelId);
        row.put("external_id", f.text("external_id"));
        row.put("status", f.oneOf("status", STATUSES, "completed"));
        row.put("stream", f.bool("stream"));
        row.put("client_ip", f.text("client_ip", ""));
        row.put("metrics_latency_ms", f.number("metrics_latency_ms"));
        row.put("metrics_first_token_latency_ms", f.number("metrics_first_token_latency_ms"));
        row.put("metrics_reasoning_duration_ms", f.number("metrics_reasoning_duration_ms"));
        row.put("content_saved", f.bool("content_saved"));
        row.put("content_storage_id", f.number("content_storage_id"));
        row.put("content_storage_key", f.text("content_storage_key"));
        OffsetDateTime savedAt = f.time("content_saved_at");
        row.put("content_saved_at", savedAt == null ? null : savedAt.toString());
        // Skipped only now, once every field has been checked: a bad value is refused in any element.
        if (projectId == null) {
            report.warn(element.where() + ": project \"" + (projectName == null ? f.number("project_id") : projectName)
                    + "\" not found; request skipped");
            return null;
        }

        String fingerprint = fingerprint(micros(createdAt), row.get("model_id").asText(), row.get("format").asText(),
                row.get("source").asText(), row.get("status").asText(), row.get("stream").asBoolean(),
                row.get("client_ip").asText(), f.text("external_id"), f.text("reasoning_effort"),
                projectName != null ? projectName : refs.projectName(projectId));
        return new FileRequest(element, f.number("id"), fingerprint,
                channelName != null ? channelName : refs.channelName(channelId), channelId != null, key, row, warnings);
    }

    /** Microseconds since the epoch, rounded as PostgreSQL rounds a timestamp it is given. */
    static long micros(OffsetDateTime time) {
        return time.toEpochSecond() * 1_000_000L + (long) Math.rint(time.getNano() / 1000.0);
    }

    /** What identifies a request across instances, except its channel and API key (compared on their own). */
    static String fingerprint(long micros, String modelId, String format, String source, String status, boolean stream,
            String clientIp, String externalId, String reasoningEffort, String project) {
        return String.join("\u0000", String.valueOf(micros), nz(modelId), nz(format), nz(source), nz(status),
                String.valueOf(stream), nz(clientIp), nz(externalId), nz(reasoningEffort), nz(project));
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    /** A request already here: its id, its channel's name and its key's value (null when it has none). */
    private record Candidate(long id, String channel, String key) {
    }

    /** Requests already here at the batch's times, by fingerprint. */
    private static final class Existing {
        private final Map<String, List<Candidate>> byFingerprint = new HashMap<>();

        void add(String fingerprint, Candidate candidate) {
            byFingerprint.computeIfAbsent(fingerprint, f -> new ArrayList<>()).add(candidate);
        }

        /**
         * The same fingerprint; the same channel name (also of a channel since deleted), or none
         * here when the file's channel is not found; the same key value, else a key missing on
         * one side (a file made without keys, or a key that was not found).
         */
        Long match(FileRequest request) {
            List<Candidate> candidates = byFingerprint.getOrDefault(request.fingerprint(), List.of()).stream()
                    .filter(c -> nz(c.channel()).equals(nz(request.channel()))
                            || (c.channel() == null && !request.channelFound()))
                    .toList();
            for (Candidate candidate : candidates) {
                if (request.key() != null && request.key().equals(candidate.key())) {
                    return candidate.id();
                }
            }
            for (Candidate candidate : candidates) {
                if (request.key() == null || candidate.key() == null) {
                    return candidate.id();
                }
            }
            return null;
        }
    }

    private Uni<Existing> existingFingerprints(Set<String> timestamps) {
        Existing existing = new Existing();
        if (timestamps.isEmpty()) {
            return Uni.createFrom().item(existing);
        }
        // Names of soft-deleted projects and channels count too: deleting one between two restores adds nothing.
        String sql = "select r.id, (extract(epoch from r.created_at) * 1000000)::bigint, r.model_id, r.format, r.source, "
                + "r.status, r.stream, r.client_ip, r.external_id, r.reasoning_effort, p.name, c.name, k.key "
                + "from requests r left join projects p on p.id = r.project_id "
                + "left join channels c on c.id = r.channel_id left join api_keys k on k.id = r.api_key_id "
                + "where r.created_at = any(cast(cast(:ts as text) as timestamptz[]))";
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(sql, Object[].class).setParameter("ts", "{" + String.join(",", timestamps) + "}").getResultList())
                .map(rows -> {
                    for (Object[] r : rows) {
                        existing.add(fingerprint(((Number) r[1]).longValue(), (String) r[2], (String) r[3], (String) r[4],
                                (String) r[5], (Boolean) r[6], (String) r[7], (String) r[8], (String) r[9], (String) r[10]),
                                new Candidate(((Number) r[0]).longValue(), (String) r[11], (String) r[12]));
                    }
                    return existing;
                });
    }

    private Uni<Void> insertRequests(List<FileRequest> fresh, ArrayNode idMap) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select nextval(pg_get_serial_sequence('requests', 'id')) from generate_series(1, :n)", Long.class)
                .setParameter("n", fresh.size()).getResultList()
                .chain(ids -> {
                    ArrayNode rows = JSON.createArrayNode();
                    for (int i = 0; i < fresh.size(); i++) {
                        long id = ((Number) ids.get(i)).longValue();
                        rows.add(fresh.get(i).row().put("id", id));
                        mapId(idMap, fresh.get(i).oldId(), id);
                    }
                    return s.createNativeQuery("insert into requests (" + names(REQUEST_COLUMNS) + ") select "
                            + names(REQUEST_COLUMNS) + " from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as x("
                            + REQUEST_COLUMNS + ")").setParameter("rows", rows.toString()).executeUpdate();
                })).replaceWithVoid();
    }

    private Uni<Void> saveIdMap(ArrayNode idMap) {
        if (idMap.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into restore_request_ids "
                + "select * from jsonb_to_recordset(cast(cast(:m as text) as jsonb)) as x(old_id bigint, new_id bigint) "
                + "on conflict (old_id) do nothing").setParameter("m", idMap.toString()).executeUpdate())
                .replaceWithVoid();
    }

    /** Inserts the batch's logs whose request was restored or found and has no log yet; one per request. */
    Uni<Void> restoreLogs(List<Element> batch, ReferenceResolver refs, RestoreReport report) {
        String kind = BackupFormat.USAGE_LOGS;
        return refs.prepare(batch).chain(() -> requestsWithLog(batch)).chain(haveLog -> {
            ArrayNode rows = JSON.createArrayNode();
            for (Element element : batch) {
                Fields f = new Fields(element);
                Long requestId = f.number("request_id");
                String projectName = f.text(BackupFormat.PROJECT_NAME);
                Long projectId = refs.project(projectName, f.number("project_id"));
                ObjectNode row = JSON.createObjectNode();
                row.put("ord", element.index());
                row.put("request_id", requestId);
                OffsetDateTime createdAt = f.time("created_at");
                row.put("created_at", createdAt == null ? OffsetDateTime.now().toString() : createdAt.toString());
                OffsetDateTime updatedAt = f.time("updated_at");
                row.put("updated_at", updatedAt == null ? row.get("created_at").asText() : updatedAt.toString());
                row.put("api_key_id", refs.apiKey(f.text(BackupFormat.API_KEY_KEY)));
                row.put("project_id", projectId);
                row.put("channel_id", refs.channel(f.text(BackupFormat.CHANNEL_NAME), f.number("channel_id")));
                row.put("model_id", f.text("model_id", ""));
                for (String tokens : TOKEN_COLUMNS) {
                    row.put(tokens, f.number(tokens, 0));
                }
                row.put("source", f.oneOf("source", SOURCES, "api"));
                row.put("format", f.text("format", "openai/chat_completions"));
                row.put("total_cost", f.decimal("total_cost"));
                row.set("cost_items", f.json("cost_items"));
                row.put("cost_price_reference_id", f.text("cost_price_reference_id"));
                // Skipped only now, once every field has been checked: a bad value is refused in any element.
                if (haveLog.contains(requestId)) {
                    continue; // already restored: its request has its log (counted as skipped below)
                }
                if (requestId == null || projectId == null) {
                    if (projectId == null) {
                        report.warn(element.where() + ": project \"" + (projectName == null ? f.number("project_id")
                                : projectName) + "\" not found; usage log skipped");
                    }
                    continue;
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                report.kind(kind).skipped += batch.size();
                return Uni.createFrom().voidItem();
            }
            String sql = "insert into usage_logs (request_id, " + names(LOG_COLUMNS) + ") "
                    + "select distinct on (m.new_id) m.new_id, " + names(LOG_COLUMNS).replaceAll("(^|, )", "$1x.")
                    + " from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as x(ord int, request_id bigint, " + LOG_COLUMNS + ") "
                    + "join restore_request_ids m on m.old_id = x.request_id "
                    + "where not exists (select 1 from usage_logs u where u.request_id = m.new_id) "
                    + "order by m.new_id, x.ord";
            return Panache.getSession().chain((Mutiny.Session s) -> s.createNativeQuery(sql)
                    .setParameter("rows", rows.toString()).executeUpdate())
                    .invoke(inserted -> {
                        report.kind(kind).created += inserted;
                        report.kind(kind).skipped += batch.size() - inserted;
                    }).replaceWithVoid();
        });
    }

    /** File request ids of the batch whose request here already has a usage log: nothing to build for them. */
    private Uni<Set<Long>> requestsWithLog(List<Element> batch) {
        Set<String> ids = new LinkedHashSet<>();
        for (Element element : batch) {
            JsonNode requestId = element.node().path("request_id");
            if (requestId.isIntegralNumber() && requestId.canConvertToLong()) {
                ids.add(String.valueOf(requestId.asLong()));
            }
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("select m.old_id from restore_request_ids m "
                + "where m.old_id = any(cast(cast(:ids as text) as bigint[])) "
                + "and exists (select 1 from usage_logs u where u.request_id = m.new_id)", Long.class)
                .setParameter("ids", "{" + String.join(",", ids) + "}").getResultList())
                .map(found -> {
                    Set<Long> haveLog = new java.util.HashSet<>();
                    found.forEach(id -> haveLog.add(((Number) id).longValue()));
                    return haveLog;
                });
    }

    static String toJson(Iterable<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array.toString();
    }

}
