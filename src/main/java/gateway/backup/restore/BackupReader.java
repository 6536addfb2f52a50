package gateway.backup.restore;

import com.fasterxml.jackson.core.JsonFactory;
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

    /** Where the sections of a file are: byte offset of each section's opening bracket. */
    record Index(Path file, String version, Map<String, Long> sections, Limits limits, JsonFactory factory) {
        boolean has(String section) {
            return sections.containsKey(section);
        }
    }

    static Index index(Path file, Limits limits) throws IOException {
        JsonFactory factory = limits.factory();
        Map<String, Long> sections = new HashMap<>();
        String version = null;
        String section = null;
        int element = -1;
        try (JsonParser parser = factory.createParser(new BufferedInputStream(Files.newInputStream(file), 64 * 1024))) {
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
                    sections.put(name, parser.currentTokenLocation().getByteOffset());
                    element = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (parser.currentToken() != JsonToken.START_OBJECT) {
                            throw new RestoreException("Invalid backup file: " + name + "[" + element + "] must be an object");
                        }
                        measure(parser, limits, name + "[" + element + "]");
                        element++;
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
            throw new RestoreException("Invalid JSON" + where + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + withoutToken(e.getOriginalMessage()));
        }
        if (version == null) {
            throw new RestoreException("Invalid backup file: no version; supported versions are "
                    + BackupFormat.SUPPORTED_VERSIONS);
        }
        if (!BackupFormat.SUPPORTED_VERSIONS.contains(version)) {
            throw new RestoreException("Unsupported backup version \"" + version + "\"; supported versions are "
                    + BackupFormat.SUPPORTED_VERSIONS);
        }
        return new Index(file, version, sections, limits, factory);
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
