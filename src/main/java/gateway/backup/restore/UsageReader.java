package gateway.backup.restore;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import gateway.backup.domain.BatchLimit;
import gateway.backup.domain.UsageColumns;
import gateway.backup.format.BackupFormat;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Reads a usage section (requests or logs) element by element with Jackson's streaming parser
 * straight into flat rows, with no JSON tree per element: each known field is checked and
 * converted as it is read (errors name the element and the field, never a value), unknown
 * fields are skipped, JSON payloads are kept as their JSON text. Blocking: call it on a worker.
 */
final class UsageReader<R extends UsageReader.Row> implements Closeable {

    static final Set<String> SOURCES = Set.of("api", "playground", "test");
    static final Set<String> STATUSES = Set.of("pending", "processing", "completed", "failed", "canceled");

    private final BackupReader.Index index;
    private final BackupReader.Section section;
    private final IntFunction<R> newRow;
    private int next;

    private UsageReader(BackupReader.Index index, String name, IntFunction<R> newRow) throws IOException {
        this.index = index;
        this.section = new BackupReader.Section(index, name);
        this.newRow = newRow;
    }

    static UsageReader<RequestRow> requests(BackupReader.Index index) throws IOException {
        return new UsageReader<>(index, BackupFormat.USAGE_REQUESTS, RequestRow::new);
    }

    static UsageReader<LogRow> logs(BackupReader.Index index) throws IOException {
        return new UsageReader<>(index, BackupFormat.USAGE_LOGS, LogRow::new);
    }

    /**
     * The next rows up to the limit's count, and no more once they take its bytes of the file
     * (at least one); an empty list at the end of the section.
     */
    List<R> next(BatchLimit limit) throws IOException {
        try {
            return read(limit);
        } catch (StreamConstraintsException e) {
            throw new RestoreException("Invalid backup file in " + section.name() + "[" + (next - 1) + "]: "
                    + index.limits().explain(e));
        } catch (JsonParseException e) {
            // The index only scanned the section: its JSON is checked here (the restore then rolls back).
            JsonLocation start = index.starts().get(section.name());
            JsonLocation at = e.getLocation();
            int line = start.getLineNr() + at.getLineNr() - 1;
            int column = at.getLineNr() == 1 ? start.getColumnNr() + at.getColumnNr() - 1 : at.getColumnNr();
            throw new RestoreException(BackupReader.invalidJson(" in " + section.name() + "[" + (next - 1) + "]",
                    new JsonLocation(null, -1, line, column), e));
        }
    }

    private List<R> read(BatchLimit limit) throws IOException {
        JsonParser parser = section.parser();
        List<R> batch = new ArrayList<>(Math.min(limit.rows(), 4096));
        long bytes = 0;
        while (batch.size() < limit.rows() && bytes < limit.bytes()) {
            if (section.done() || parser.nextToken() != JsonToken.START_OBJECT) {
                section.markDone(); // the section's ]: what follows belongs to other sections
                break;
            }
            long start = parser.currentTokenLocation().getByteOffset();
            R row = newRow.apply(next++);
            Value value = new Value(parser, section.name(), row.index);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!row.read(field, value)) {
                    parser.skipChildren(); // unknown fields are ignored
                }
            }
            row.complete(value);
            batch.add(row);
            bytes += parser.currentLocation().getByteOffset() - start;
        }
        return batch;
    }

    @Override
    public void close() throws IOException {
        section.close();
    }

    /** The value the parser is at, checked and converted for one field of one element. */
    static final class Value {
        private final JsonParser parser;
        private final String section;
        private final int index;

        Value(JsonParser parser, String section, int index) {
            this.parser = parser;
            this.section = section;
            this.index = index;
        }

        String where() {
            return section + "[" + index + "]";
        }

        /** Years PostgreSQL's timestamptz and Java both hold. */
        private static final int MIN_YEAR = 1;
        private static final int MAX_YEAR = 9999;
        /** \u0000 not preceded by an escaped backslash. */
        private static final java.util.regex.Pattern ESCAPED_NUL = java.util.regex.Pattern.compile("(?<!\\\\)(\\\\\\\\)*\\\\u0000");

        RestoreException wrong(String field, String expected) {
            return new RestoreException("Invalid " + where() + ": " + field + " must be " + expected);
        }

        private boolean isNull() {
            return parser.currentToken() == JsonToken.VALUE_NULL;
        }

        String text(String field) throws IOException {
            if (isNull()) {
                return null;
            }
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw wrong(field, "a string");
            }
            String text = parser.getText();
            if (text.indexOf('\u0000') >= 0) {
                throw wrong(field, "text without the NUL character (\\u0000), which PostgreSQL cannot store");
            }
            return text;
        }

        /** A string from a fixed set of values; null when absent or empty (the caller's default applies). */
        String oneOf(String field, Set<String> allowed) throws IOException {
            String value = text(field);
            if (value == null || value.isEmpty()) {
                return null;
            }
            if (!allowed.contains(value)) {
                throw new RestoreException("Invalid " + where() + ": unknown " + field + " \"" + value
                        + "\" (expected one of " + allowed + ")");
            }
            return value;
        }

        /** A whole number that fits a bigint: a fraction or an exponent (1.5, 1e18) is refused, not cut. */
        Long number(String field) throws IOException {
            if (isNull()) {
                return null;
            }
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                try {
                    return parser.getLongValue();
                } catch (InputCoercionException e) {
                    // out of range: refused below
                }
            }
            throw wrong(field, "an integer (no fraction or exponent) between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
        }

        Double decimal(String field) throws IOException {
            if (isNull()) {
                return null;
            }
            if (!parser.currentToken().isNumeric() || !Double.isFinite(parser.getDoubleValue())) {
                throw wrong(field, "a finite number");
            }
            return parser.getDoubleValue();
        }

        boolean bool(String field) throws IOException {
            if (isNull()) {
                return false;
            }
            if (!parser.currentToken().isBoolean()) {
                throw wrong(field, "true or false");
            }
            return parser.getBooleanValue();
        }

        /** An RFC 3339 time, rounded to microseconds as PostgreSQL rounds a timestamp it is given as text. */
        OffsetDateTime time(String field) throws IOException {
            String value = text(field);
            if (value == null) {
                return null;
            }
            try {
                OffsetDateTime time = quickTime(value);
                if (time == null) {
                    time = OffsetDateTime.parse(value);
                }
                if (time.getYear() < MIN_YEAR || time.getYear() > MAX_YEAR) {
                    throw wrong(field, "an RFC 3339 time in the years " + MIN_YEAR + " to " + MAX_YEAR);
                }
                return time.getNano() % 1000 == 0 ? time
                        : Instant.EPOCH.plus(micros(time), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw wrong(field, "an RFC 3339 time");
            }
        }

        /** Any JSON value as its text; null for JSON null. */
        String json(String field) throws IOException {
            if (isNull()) {
                return null;
            }
            StringWriter text = new StringWriter();
            try (JsonGenerator generator = parser.getCodec().getFactory().createGenerator(text)) {
                generator.copyCurrentStructure(parser);
            }
            // PostgreSQL's jsonb refuses the NUL character, which the generator writes escaped. The
            // regular expression only where the plain search finds one: on every value it took a quarter of the parse.
            if (text.getBuffer().indexOf("\\u0000") >= 0 && ESCAPED_NUL.matcher(text.getBuffer()).find()) {
                throw wrong(field, "JSON without the NUL character (\\u0000), which PostgreSQL cannot store");
            }
            return text.toString();
        }
    }

    /**
     * The common shape of an RFC 3339 time ({@code 2024-05-01T10:20:30.123456+00:00}, or {@code Z}),
     * read by hand: {@link OffsetDateTime#parse} took a fifth of the parse. Null for any other
     * shape or an impossible date: the caller then parses it the standard way, with its errors.
     */
    static OffsetDateTime quickTime(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos = nanos * 10 + (s.charAt(i++) - '0');
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, 2);
            int minutes = digits(s, i + 4, 2);
            if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            offset = hours == 0 && minutes == 0 ? ZoneOffset.UTC
                    : ZoneOffset.ofHoursMinutes(s.charAt(i) == '-' ? -hours : hours, s.charAt(i) == '-' ? -minutes : minutes);
        } else {
            return null;
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The number of {@code count} ASCII digits at {@code from}; -1 if any is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Microseconds since the epoch, rounded as PostgreSQL rounds a timestamp it is given. */
    static long micros(OffsetDateTime time) {
        return time.toEpochSecond() * 1_000_000L + (long) Math.rint(time.getNano() / 1000.0);
    }

    /** What requests and logs share: their place in the file, times, references by name and id. */
    abstract static class Row {
        final int index;
        /** The element's place for messages, e.g. usage_requests[3]. */
        String where;
        OffsetDateTime createdAt;
        OffsetDateTime updatedAt;
        String projectName;
        Long projectId;
        String channelName;
        Long channelId;
        String apiKey;
        String modelId = "";
        String source = "api";
        String format = "openai/chat_completions";

        // Resolved here (ReferenceResolver.resolve), before the batch is written.
        Long projectHere;
        Long channelHere;
        Long apiKeyHere;

        Row(int index) {
            this.index = index;
        }

        /** Reads the field the parser is at; false when this kind has no such field. */
        boolean read(String field, Value value) throws IOException {
            switch (field) {
                case "created_at" -> createdAt = value.time(field);
                case "updated_at" -> updatedAt = value.time(field);
                case BackupFormat.PROJECT_NAME -> projectName = value.text(field);
                case "project_id" -> projectId = value.number(field);
                case BackupFormat.CHANNEL_NAME -> channelName = value.text(field);
                case "channel_id" -> channelId = value.number(field);
                case BackupFormat.API_KEY_KEY -> apiKey = value.text(field);
                case "model_id" -> modelId = orElse(value.text(field), "");
                case "source" -> source = orElse(value.oneOf(field, SOURCES), "api");
                case "format" -> format = orElse(value.text(field), "openai/chat_completions");
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** Checks and defaults once the whole element is read. */
        void complete(Value value) {
            where = value.where();
            if (updatedAt == null) {
                updatedAt = createdAt;
            }
        }

        static String orElse(String value, String fallback) {
            return value == null ? fallback : value;
        }
    }

    /** A usage request of the file, with what restore resolves for it. */
    static final class RequestRow extends Row {
        Long id;
        Long traceId;
        Long dataStorageId;
        String reasoningEffort;
        String requestHeaders;
        String requestBody = "{}";
        String responseBody;
        String responseChunks;
        String externalId;
        String status = "completed";
        boolean stream;
        String clientIp = "";
        Long metricsLatencyMs;
        Long metricsFirstTokenLatencyMs;
        Long metricsReasoningDurationMs;
        boolean contentSaved;
        Long contentStorageId;
        String contentStorageKey;
        OffsetDateTime contentSavedAt;

        /** The project's and channel's names to match requests already here by. */
        String projectMatch;
        String channelMatch;
        /** Warnings that hold only if the request is inserted (null: none). */
        List<String> warnings;

        RequestRow(int index) {
            super(index);
        }

        @Override
        boolean read(String field, Value value) throws IOException {
            switch (field) {
                case "id" -> id = value.number(field);
                case "trace_id" -> traceId = value.number(field);
                case "data_storage_id" -> dataStorageId = value.number(field);
                case "reasoning_effort" -> reasoningEffort = value.text(field);
                case "request_headers" -> requestHeaders = value.json(field);
                case "request_body" -> requestBody = orElse(value.json(field), "{}");
                case "response_body" -> responseBody = value.json(field);
                case "response_chunks" -> responseChunks = value.json(field);
                case "external_id" -> externalId = value.text(field);
                case "status" -> status = orElse(value.oneOf(field, STATUSES), "completed");
                case "stream" -> stream = value.bool(field);
                case "client_ip" -> clientIp = orElse(value.text(field), "");
                case "metrics_latency_ms" -> metricsLatencyMs = value.number(field);
                case "metrics_first_token_latency_ms" -> metricsFirstTokenLatencyMs = value.number(field);
                case "metrics_reasoning_duration_ms" -> metricsReasoningDurationMs = value.number(field);
                case "content_saved" -> contentSaved = value.bool(field);
                case "content_storage_id" -> contentStorageId = value.number(field);
                case "content_storage_key" -> contentStorageKey = value.text(field);
                case "content_saved_at" -> contentSavedAt = value.time(field);
                default -> {
                    return super.read(field, value);
                }
            }
            return true;
        }

        @Override
        void complete(Value value) {
            if (createdAt == null) {
                throw new RestoreException("Invalid " + value.where() + ": created_at is required");
            }
            super.complete(value);
        }

        void warn(String warning) {
            if (warnings == null) {
                warnings = new ArrayList<>(2);
            }
            warnings.add(warning);
        }
    }

    /** A usage log of the file. */
    static final class LogRow extends Row {
        static final List<String> TOKEN_COLUMNS = UsageColumns.TOKENS;

        Long requestId;
        final long[] tokens = new long[TOKEN_COLUMNS.size()];
        Double totalCost;
        String costItems;
        String costPriceReferenceId;

        /** Its request's id here, once known. */
        Long requestHere;

        LogRow(int index) {
            super(index);
        }

        @Override
        boolean read(String field, Value value) throws IOException {
            switch (field) {
                case "request_id" -> requestId = value.number(field);
                case "total_cost" -> totalCost = value.decimal(field);
                case "cost_items" -> costItems = value.json(field);
                case "cost_price_reference_id" -> costPriceReferenceId = value.text(field);
                default -> {
                    int token = TOKEN_COLUMNS.indexOf(field);
                    if (token < 0) {
                        return super.read(field, value);
                    }
                    Long count = value.number(field);
                    tokens[token] = count == null ? 0 : count;
                }
            }
            return true;
        }

        @Override
        void complete(Value value) {
            if (createdAt == null) {
                createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            }
            super.complete(value);
        }
    }
}
