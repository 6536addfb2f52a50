package gateway.backup.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * A usage row's JSON object, written by the service from the row's typed columns, byte for byte
 * what PostgreSQL's {@code to_json} writes for each value ({@link JsonRowBatches#objectWithoutNulls}
 * builds the same object in SQL): numbers as int8out writes them, strings escaped as PostgreSQL
 * escapes them ({@code \b \f \n \r \t}, other control characters as lowercase {@code \}{@code u00xx},
 * everything else as UTF-8), times in the session's time zone as {@code 2006-01-02T15:04:05.123456+01:00}
 * (fraction without trailing zeros, none when zero), doubles and JSON columns as PostgreSQL's own text.
 * Null fields are left out, and so are empty values of the fields that {@link Field#leaveOutEmpty()}.
 * Where Java's time zone data and PostgreSQL's disagree (Europe/Amsterdam's local mean time before 1835,
 * say), a time is written with Java's offset: the same instant, another text.
 * <p>
 * PostgreSQL then only reads and sends the typed columns (a third of what building the JSON cost it),
 * and the service encodes one batch while PostgreSQL reads the next.
 */
public final class UsageJson {

    private UsageJson() {
    }

    /**
     * A field of the object: its name, the column (or expression) holding its value, the value's PostgreSQL
     * type as in {@link UsageColumns}, and whether empty values (0, '', false) are left out like nulls.
     */
    public record Field(String name, String column, String type, boolean leaveOutEmpty) {

        /** What the keyset query selects: doubles and JSON as PostgreSQL's text of them, the rest as typed values. */
        String selected() {
            return switch (type) {
                case "double precision" -> (leaveOutEmpty ? "nullif(" + column + ", 0)" : column) + "::text";
                case "jsonb" -> column + "::text";
                default -> column;
            };
        }

        /** The same field as PostgreSQL builds it: {@code name, expression} for {@link JsonRowBatches#objectWithoutNulls}. */
        List<String> builtByPostgres() {
            String expression = switch (type) {
                case "bigint", "double precision" -> leaveOutEmpty ? "nullif(" + column + ", 0)" : column;
                case "text" -> leaveOutEmpty ? "nullif(" + column + ", '')" : column;
                case "boolean" -> leaveOutEmpty ? "nullif(" + column + ", false)" : column;
                case "jsonb" -> column + "::text";
                default -> column;
            };
            return List.of(name, expression);
        }
    }

    /** The select list of a keyset query over {@code fields}, one column per field in their order. */
    static String selectList(List<Field> fields) {
        return String.join(", ", fields.stream().map(Field::selected).toList());
    }

    /**
     * A keyset query ({@link JsonRowBatches#stream}) in which PostgreSQL builds the same objects: the id
     * (the first field's column) and each row's JSON, over {@code from} (the tables, their joins and the
     * keyset condition on {@code :after}, ordered by id).
     */
    static String builtByPostgres(List<Field> fields, String from) {
        List<String> pairs = new ArrayList<>();
        fields.forEach(field -> pairs.addAll(field.builtByPostgres()));
        return "select " + fields.get(0).column() + ", " + JsonRowBatches.objectWithoutNulls(pairs.toArray(String[]::new))
                + " from " + from + " limit :limit";
    }

    // Rows one after another with nothing between them; as PostgreSQL: \u001f, not \u001F, and characters
    // beyond U+FFFF as their 4 UTF-8 bytes, not as two escaped surrogates.
    private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE).enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /**
     * The session's time zone as PostgreSQL names it ({@code TimeZone}), and its offset from UTC now (seconds,
     * east positive): a name Java knows is used with its rules; other settings (POSIX forms such as {@code
     * UTC+3} or {@code <+03>-03}, where the sign means the opposite of ISO's) as the fixed offset they give now.
     */
    static ZoneId sessionZone(String timeZone, int offsetSeconds) {
        return ZoneId.getAvailableZoneIds().contains(timeZone) ? ZoneId.of(timeZone)
                : ZoneOffset.ofTotalSeconds(offsetSeconds);
    }

    /** Encodes rows of {@code fields}' values (as the reactive client reads them) one at a time; not thread-safe. */
    static final class Encoder {

        private final List<Field> fields;
        private final SerializableString[] names;
        private final ZoneRules zone;
        private final ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
        private final JsonGenerator generator;
        private final char[] time = new char[40];

        Encoder(List<Field> fields, ZoneId zone) {
            this.fields = fields;
            this.names = fields.stream().map(field -> new SerializedString(field.name())).toArray(SerializableString[]::new);
            this.zone = zone.getRules();
            try {
                this.generator = JSON.createGenerator(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The rows' JSON objects, each as its UTF-8 bytes. */
        List<byte[]> encode(List<Object[]> rows) {
            List<byte[]> encoded = new ArrayList<>(rows.size());
            try {
                for (Object[] row : rows) {
                    encoded.add(encode(row));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return encoded;
        }

        private byte[] encode(Object[] row) throws IOException {
            generator.writeStartObject();
            for (int i = 0; i < row.length; i++) {
                Object value = row[i];
                if (value == null || fields.get(i).leaveOutEmpty() && isEmpty(value)) {
                    continue;
                }
                generator.writeFieldName(names[i]);
                if (value instanceof Long number) {
                    generator.writeNumber(number.longValue());
                } else if (value instanceof String text) {
                    writeText(fields.get(i).type(), text);
                } else if (value instanceof OffsetDateTime at) {
                    writeTime(at);
                } else if (value instanceof Boolean bool) {
                    generator.writeBoolean(bool);
                } else {
                    throw new IllegalStateException("no JSON for " + value.getClass() + " in " + fields.get(i).name());
                }
            }
            generator.writeEndObject();
            generator.flush();
            byte[] json = bytes.toByteArray();
            bytes.reset();
            return json;
        }

        private static boolean isEmpty(Object value) {
            return value instanceof Long number && number == 0 || value instanceof String text && text.isEmpty()
                    || Boolean.FALSE.equals(value);
        }

        /** Strings escaped; JSON as stored; doubles as PostgreSQL wrote them, NaN and infinities as strings (as to_json does). */
        private void writeText(String type, String text) throws IOException {
            switch (type) {
                case "jsonb" -> generator.writeRawValue(text);
                case "double precision" -> {
                    if (text.equals("NaN") || text.endsWith("Infinity")) {
                        generator.writeString(text);
                    } else {
                        generator.writeRawValue(text);
                    }
                }
                default -> generator.writeString(text);
            }
        }

        /** As PostgreSQL's to_json writes a timestamptz (EncodeDateTime, XSD style) in the session's time zone. */
        private void writeTime(OffsetDateTime at) throws IOException {
            // How the client reads ±infinity: the greatest value, and a time before PostgreSQL's first (4714 BC).
            if (at.equals(OffsetDateTime.MAX) || at.getYear() < -4713) {
                generator.writeString(at.equals(OffsetDateTime.MAX) ? "infinity" : "-infinity");
                return;
            }
            Instant instant = at.toInstant();
            ZoneOffset offset = zone.getOffset(instant);
            LocalDateTime local = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), offset);
            int n = 0;
            time[n++] = '"';
            int year = local.getYear();
            n = digits(year > 0 ? year : 1 - year, 4, n); // 1 BC is year 0 here
            time[n++] = '-';
            n = digits(local.getMonthValue(), 2, n);
            time[n++] = '-';
            n = digits(local.getDayOfMonth(), 2, n);
            time[n++] = 'T';
            n = digits(local.getHour(), 2, n);
            time[n++] = ':';
            n = digits(local.getMinute(), 2, n);
            time[n++] = ':';
            n = digits(local.getSecond(), 2, n);
            int micros = local.getNano() / 1000;
            if (micros != 0) {
                time[n++] = '.';
                int width = 6;
                while (micros % 10 == 0) {
                    micros /= 10;
                    width--;
                }
                n = digits(micros, width, n);
            }
            int seconds = offset.getTotalSeconds();
            time[n++] = seconds >= 0 ? '+' : '-';
            seconds = Math.abs(seconds);
            n = digits(seconds / 3600, 2, n);
            time[n++] = ':';
            n = digits(seconds / 60 % 60, 2, n);
            if (seconds % 60 != 0) {
                time[n++] = ':';
                n = digits(seconds % 60, 2, n);
            }
            if (year <= 0) {
                for (char c : " BC".toCharArray()) {
                    time[n++] = c;
                }
            }
            time[n++] = '"';
            generator.writeRawValue(time, 0, n);
        }

        /** {@code value} in decimal, zero-padded to at least {@code width} digits, at {@code n}; the position after it. */
        private int digits(int value, int width, int n) {
            int length = 1;
            for (int rest = value / 10; rest > 0; rest /= 10) {
                length++;
            }
            length = Math.max(width, length);
            for (int i = n + length - 1; i >= n; i--) {
                time[i] = (char) ('0' + value % 10);
                value /= 10;
            }
            return n + length;
        }
    }
}
