package gateway.backup.restore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.domain.BatchLimit;
import gateway.backup.format.BackupFormat;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a backup file from disk with Jackson's streaming parser. {@link #index} checks the
 * whole file once (valid JSON, supported version) and notes where each top-level section
 * starts, so sections can then be read in dependency order whatever their order in the
 * file, element by element. Blocking: call it on a worker thread.
 */
final class BackupReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Set<String> USAGE_SECTIONS = java.util.Set.of(BackupFormat.USAGE_REQUESTS, BackupFormat.USAGE_LOGS);

    private BackupReader() {
    }

    /**
     * What one file may hold: bytes and JSON values per element (checked by {@link #index} before
     * any element is built as a tree), nesting depth, string and number length (Jackson's
     * StreamReadConstraints, checked while parsing).
     */
    record Limits(long maxElementBytes, int maxElementValues, int maxNestingDepth) {
        static final int MAX_NUMBER_LENGTH = 1000;

        static Limits of(GatewayBackupConfig.Restore restore) {
            return new Limits(restore.maxElementSize().asLongValue(), restore.maxElementValues(), restore.maxNestingDepth());
        }

        JsonFactory factory() {
            JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxElementBytes))
                    .maxNestingDepth(maxNestingDepth)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build()).build();
            factory.setCodec(JSON);
            return factory;
        }

        /** The broken limit in words, with its setting, for a parser's constraint error. */
        String explain(StreamConstraintsException e) {
            String message = e.getOriginalMessage();
            if (message.contains("String value length")) {
                return "a string is longer than the limit of " + maxElementBytes
                        + " characters (gateway-backup.restore.max-element-size)";
            }
            if (message.contains("nesting depth")) {
                return "objects and arrays nest deeper than the limit of " + maxNestingDepth
                        + " (gateway-backup.restore.max-nesting-depth)";
            }
            if (message.contains("Number value length")) {
                return "a number is longer than the limit of " + MAX_NUMBER_LENGTH + " digits";
            }
            return "a value is over a parser limit";
        }
    }

    /**
     * Where the sections of a file are: byte offset of each section's opening bracket, and its line
     * and column for messages about what is read from there.
     */
    record Index(Path file, String version, Map<String, Long> sections, Map<String, JsonLocation> starts, Limits limits,
            JsonFactory factory) {
        boolean has(String section) {
            return sections.containsKey(section);
        }
    }

    /** Every section checked element by element (verify, which builds usage elements as trees too). */
    static Index index(Path file, Limits limits) throws IOException {
        return index(file, limits, false);
    }

    /**
     * With {@code skipUsage}, the usage sections are only scanned byte by byte (nesting, each element an
     * object, its bytes and values within the limits), not parsed: {@link UsageReader} parses them, with
     * the same limits, without building trees. Parsing them here too took a third of the restore's parse.
     */
    static Index index(Path file, Limits limits, boolean skipUsage) throws IOException {
        JsonFactory factory = limits.factory();
        Map<String, Long> sections = new HashMap<>();
        Map<String, JsonLocation> starts = new HashMap<>();
        String version = null;
        String section = null;
        int element = -1;
        Resumed at = new Resumed(0, 0, 0);
        JsonParser parser = factory.createParser(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new RestoreException("Invalid backup file: the file is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new RestoreException("Invalid backup file: it must be one JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(BackupFormat.KEY_VERSION)) {
                    version = value == JsonToken.VALUE_STRING ? parser.getText() : parser.getValueAsString("?");
                } else if (BackupFormat.SECTION_ORDER.contains(name)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new RestoreException("Invalid backup file: " + name + " must be an array");
                    }
                    if (sections.containsKey(name)) {
                        // Only one of the two would be restored: refuse instead of choosing silently.
                        throw new RestoreException("Invalid backup file: section " + name
                                + " appears twice; a file holds each section once");
                    }
                    section = name;
                    JsonLocation start = at.real(parser.currentTokenLocation());
                    sections.put(name, start.getByteOffset());
                    starts.put(name, start);
                    element = 0;
                    if (skipUsage && USAGE_SECTIONS.contains(name)) {
                        parser.close();
                        at = Scan.section(file, start, limits, name);
                        parser = factory.createParser(at.open(file));
                        at.skipPrefix(parser);
                    } else {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            if (parser.currentToken() != JsonToken.START_OBJECT) {
                                throw new RestoreException("Invalid backup file: " + name + "[" + element + "] must be an object");
                            }
                            measure(parser, limits, name + "[" + element + "]");
                            element++;
                        }
                    }
                    section = null;
                } else {
                    parser.skipChildren(); // unknown keys are ignored
                }
            }
            if (parser.nextToken() != null) {
                throw new RestoreException("Invalid backup file: content after the closing brace");
            }
        } catch (StreamConstraintsException e) {
            String where = section == null ? "" : " in " + section + "[" + element + "]";
            throw new RestoreException("Invalid backup file" + where + ": " + limits.explain(e));
        } catch (JsonParseException e) {
            String where = section == null ? "" : " in " + section + "[" + element + "]";
            throw new RestoreException(invalidJson(where, at.real(e.getLocation()), e));
        } finally {
            parser.close();
        }
        if (version == null) {
            throw new RestoreException("Invalid backup file: no version; supported versions are "
                    + BackupFormat.SUPPORTED_VERSIONS);
        }
        if (!BackupFormat.SUPPORTED_VERSIONS.contains(version)) {
            throw new RestoreException("Unsupported backup version \"" + version + "\"; supported versions are "
                    + BackupFormat.SUPPORTED_VERSIONS);
        }
        return new Index(file, version, sections, starts, limits, factory);
    }

    static String invalidJson(String where, JsonLocation location, JsonParseException e) {
        return "Invalid JSON" + where + " at line " + location.getLineNr() + ", column " + location.getColumnNr()
                + ": " + withoutToken(e.getOriginalMessage());
    }

    /**
     * Where a parser started in the file: its byte offset, line and column there, less the bytes of
     * the prefix it is given ({@code {"":0}), so that it reads the rest of the top-level object after a
     * scanned section as if from the start.
     */
    record Resumed(long offset, int line, int column) {
        private static final byte[] PREFIX = "{\"\":0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        java.io.InputStream open(Path file) throws IOException {
            java.io.InputStream rest = Files.newInputStream(file);
            rest.skipNBytes(offset);
            return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(PREFIX), new BufferedInputStream(rest, 64 * 1024));
        }

        void skipPrefix(JsonParser parser) throws IOException {
            parser.nextToken(); // {
            parser.nextToken(); // ""
            parser.nextToken(); // 0
        }

        /** A location of the parser started here, as a location in the file. */
        JsonLocation real(JsonLocation location) {
            if (offset == 0) {
                return location;
            }
            boolean firstLine = location.getLineNr() == 1;
            return new JsonLocation(location.contentReference(), location.getByteOffset() - PREFIX.length + offset, -1,
                    location.getLineNr() + line - 1,
                    firstLine ? location.getColumnNr() - PREFIX.length + column - 1 : location.getColumnNr());
        }
    }

    /** A usage section scanned byte by byte: strings, nesting and each element's bytes and values. */
    private static final class Scan {
        private final Limits limits;
        private final String name;
        private final boolean[] object;
        private final long maxValues;
        private int depth;
        private int element = -1;
        private long elementStart;
        private long values;
        private boolean expectKey;
        private boolean inScalar;
        private int line;
        private long lineStart;

        private Scan(Limits limits, String name, JsonLocation start) {
            this.limits = limits;
            this.name = name;
            this.object = new boolean[limits.maxNestingDepth() + 2];
            this.maxValues = limits.maxElementValues();
            this.line = start.getLineNr();
            this.lineStart = start.getByteOffset() - start.getColumnNr() + 1;
        }

        /** Scans the section whose [ is at {@code start}; where the top-level object goes on after its ]. */
        static Resumed section(Path file, JsonLocation start, Limits limits, String name) throws IOException {
            return new Scan(limits, name, start).run(file, start.getByteOffset());
        }

        private Resumed run(Path file, long start) throws IOException {
            try (java.io.InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(start);
                byte[] buffer = new byte[64 * 1024];
                boolean inString = false;
                boolean escaped = false;
                long at = start;
                for (int n = in.read(buffer); n > 0; at += n, n = in.read(buffer)) {
                    if (depth > 1) {
                        checkBytes(at); // an element still open: its bytes so far
                    }
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        if (inString) {
                            // Most bytes are inside strings: a tight loop to the next quote or backslash.
                            while (!escaped && b != '"' && b != '\\' && ++i < n) {
                                b = buffer[i];
                            }
                            if (i == n) {
                                break;
                            }
                            if (escaped) {
                                escaped = false;
                            } else if (b == '\\') {
                                escaped = true;
                            } else {
                                inString = false;
                            }
                            continue;
                        }
                        long offset = at + i;
                        switch (b) {
                            case '{', '[' -> open(b == '{', offset);
                            case '}', ']' -> {
                                inScalar = false;
                                if (--depth == 0) {
                                    return new Resumed(offset + 1, line, (int) (offset + 1 - lineStart) + 1);
                                }
                                if (depth == 1) {
                                    checkBytes(offset);
                                }
                            }
                            case '"' -> {
                                inScalar = false;
                                inString = true;
                                if (depth == 1) {
                                    startElement(false, offset);
                                }
                                if (!(object[depth] && expectKey)) {
                                    count();
                                }
                                expectKey = false;
                            }
                            case ',' -> {
                                inScalar = false;
                                expectKey = object[depth];
                            }
                            case ':' -> {
                                inScalar = false;
                                expectKey = false;
                            }
                            case ' ', '\t', '\r' -> inScalar = false;
                            case '\n' -> {
                                inScalar = false;
                                line++;
                                lineStart = offset + 1;
                            }
                            default -> {
                                if (!inScalar) {
                                    inScalar = true;
                                    if (depth == 1) {
                                        startElement(false, offset);
                                    }
                                    count();
                                }
                            }
                        }
                    }
                }
                throw new RestoreException("Invalid JSON in " + where() + " at line " + line
                        + ": unexpected end of the file inside the section");
            }
        }

        private String where() {
            return name + "[" + Math.max(element, 0) + "]";
        }

        private void open(boolean isObject, long offset) {
            inScalar = false;
            if (depth == 0) {
                depth = 1; // the section's [
                return;
            }
            if (depth == 1) {
                startElement(isObject, offset);
            }
            count();
            if (++depth + 1 > limits.maxNestingDepth()) {
                throw new RestoreException("Invalid backup file in " + where() + ": objects and arrays nest deeper than the limit of "
                        + limits.maxNestingDepth() + " (gateway-backup.restore.max-nesting-depth)");
            }
            object[depth] = isObject;
            expectKey = isObject;
        }

        private void startElement(boolean isObject, long offset) {
            element++;
            if (!isObject) {
                throw new RestoreException("Invalid backup file: " + where() + " must be an object");
            }
            elementStart = offset;
            values = 0;
        }

        /** One more JSON value in the element (a key is not one), as measure() counts them. */
        private void count() {
            if (++values > maxValues) {
                throw new RestoreException("Invalid backup file: " + where() + " holds more than "
                        + maxValues + " JSON values (gateway-backup.restore.max-element-values)");
            }
        }

        private void checkBytes(long offset) {
            if (offset - elementStart > limits.maxElementBytes()) {
                throw new RestoreException("Invalid backup file: " + where() + " is larger than the limit of "
                        + limits.maxElementBytes() + " bytes (gateway-backup.restore.max-element-size)");
            }
        }
    }

    /**
     * Walks one element (the parser on its '{') to its end without building it, refusing it once it
     * passes the byte or value limit, so that no element is ever built as a tree bigger than that.
     * Strings are read too, so their length limit applies here, before anything is written.
     */
    private static void measure(JsonParser parser, Limits limits, String where) throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        int depth = 1;
        long values = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return; // the parser reports the truncated file
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> parser.getTextLength();
                default -> { }
            }
            if (token != JsonToken.FIELD_NAME && token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY
                    && ++values > limits.maxElementValues()) {
                throw new RestoreException("Invalid backup file: " + where + " holds more than "
                        + limits.maxElementValues() + " JSON values (gateway-backup.restore.max-element-values)");
            }
            if (parser.currentLocation().getByteOffset() - start > limits.maxElementBytes()) {
                throw new RestoreException("Invalid backup file: " + where + " is larger than the limit of "
                        + limits.maxElementBytes() + " bytes (gateway-backup.restore.max-element-size)");
            }
        }
    }

    /**
     * The parser's message without the text of an unrecognised token: the token may be a
     * secret that lost its quotes (an API key, a credential).
     */
    static String withoutToken(String message) {
        return message.replaceFirst("(?s)^Unrecognized token '.*': was expecting", "Unrecognized token: was expecting");
    }

    /** The elements of one section, in order, a few at a time. */
    static final class Section implements Closeable {
        private final String name;
        private final JsonParser parser;
        private int next;
        private boolean done;

        Section(Index index, String name) throws IOException {
            this.name = name;
            FileInputStream in = new FileInputStream(index.file().toFile());
            in.getChannel().position(index.sections().get(name));
            parser = index.factory().createParser(new BufferedInputStream(in, 64 * 1024));
            parser.nextToken(); // the section's [
        }

        String name() {
            return name;
        }

        /** For readers of their own (usage sections): the parser, at the section's [ or after an element. */
        JsonParser parser() {
            return parser;
        }

        boolean done() {
            return done;
        }

        void markDone() {
            done = true;
        }

        /**
         * The next elements up to the limit's count, and no more once they take its bytes of the
         * file (at least one); an empty list at the end of the section.
         */
        List<Element> next(BatchLimit limit) throws IOException {
            List<Element> batch = new ArrayList<>(Math.min(limit.rows(), 1024));
            long bytes = 0;
            while (!done && batch.size() < limit.rows() && bytes < limit.bytes()) {
                if (parser.nextToken() == JsonToken.START_OBJECT) {
                    long start = parser.currentTokenLocation().getByteOffset();
                    batch.add(new Element(name, next++, parser.readValueAsTree()));
                    bytes += parser.currentLocation().getByteOffset() - start;
                } else {
                    done = true; // the section's ]: what follows belongs to other sections
                }
            }
            return batch;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** One element of a section, with its position for error messages. */
    record Element(String section, int index, JsonNode node) {
        String where() {
            return section + "[" + index + "]";
        }
    }
}
