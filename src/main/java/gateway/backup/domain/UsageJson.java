package gateway.backup.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** The {@code name, expression} pairs with which PostgreSQL builds the same objects. */
    static String[] builtByPostgres(List<Field> fields) {
        List<String> pairs = new ArrayList<>();
        fields.forEach(field -> pairs.addAll(field.builtByPostgres()));
        return pairs.toArray(String[]::new);
    }

    /**
     * The session's time zone as PostgreSQL names it ({@code TimeZone}), and its offset from UTC now (seconds,
     * east positive): a name Java knows is used with its rules; other settings (POSIX forms such as {@code
     * UTC+3} or {@code <+03>-03}, where the sign means the opposite of ISO's) as the fixed offset they give now.
     */
    static ZoneId sessionZone(String timeZone, int offsetSeconds) {
        return ZoneId.getAvailableZoneIds().contains(timeZone) ? ZoneId.of(timeZone)
                : ZoneOffset.ofTotalSeconds(offsetSeconds);
    }

    /**
     * Encodes rows of {@code fields}' values (as the reactive client reads them) one at a time into one
     * growing buffer; not thread-safe. Written by hand for the few types here: through Jackson's generator
     * (a check of its state and of its buffer per value) the event loop took about a tenth more CPU.
     */
    static final class Encoder {

        private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        private final List<Field> fields;
        private final byte[][] names;
        private final ZoneRules zone;
        private byte[] out = new byte[1024];
        private int n;

        Encoder(List<Field> fields, ZoneId zone) {
            this.fields = fields;
            this.names = fields.stream().map(field -> ("\"" + field.name() + "\":").getBytes(StandardCharsets.UTF_8))
                    .toArray(byte[][]::new);
            this.zone = zone.getRules();
        }

        /** The rows' JSON objects, each as its UTF-8 bytes. */
        List<byte[]> encode(List<Object[]> rows) {
            List<byte[]> encoded = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                encoded.add(encode(row));
            }
            return encoded;
        }

        private byte[] encode(Object[] row) {
            n = 0;
            room(1);
            out[n++] = '{';
            for (int i = 0; i < row.length; i++) {
                Object value = row[i];
                if (value == null || fields.get(i).leaveOutEmpty() && isEmpty(value)) {
                    continue;
                }
                room(names[i].length + 1);
                if (n > 1) {
                    out[n++] = ',';
                }
                bytes(names[i]);
                if (value instanceof Long number) {
                    number(number);
                } else if (value instanceof String text) {
                    text(fields.get(i).type(), text);
                } else if (value instanceof OffsetDateTime at) {
                    time(at);
                } else if (value instanceof Boolean) {
                    bytes(TRUE); // false is empty: always left out
                } else {
                    throw new IllegalStateException("no JSON for " + value.getClass() + " in " + fields.get(i).name());
                }
            }
            room(1);
            out[n++] = '}';
            return Arrays.copyOf(out, n);
        }

        private static boolean isEmpty(Object value) {
            return value instanceof Long number && number == 0 || value instanceof String text && text.isEmpty()
                    || Boolean.FALSE.equals(value);
        }

        /** Makes room for {@code more} bytes. */
        private void room(int more) {
            if (n + more > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + more));
            }
        }

        private void bytes(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, out, n, bytes.length);
            n += bytes.length;
        }

        /** Strings escaped; JSON as stored; doubles as PostgreSQL wrote them, NaN and infinities as strings (as to_json does). */
        private void text(String type, String text) {
            switch (type) {
                case "jsonb" -> bytes(text.getBytes(StandardCharsets.UTF_8));
                case "double precision" -> {
                    if (text.equals("NaN") || text.endsWith("Infinity")) {
                        escaped(text);
                    } else {
                        bytes(text.getBytes(StandardCharsets.US_ASCII));
                    }
                }
                default -> escaped(text);
            }
        }

        /**
         * A JSON string as PostgreSQL's escape_json writes it: the text's UTF-8 bytes, with quote, backslash and
         * control characters escaped (bytes of characters beyond ASCII are all 0x80 or more: never escaped).
         */
        private void escaped(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            room(utf8.length * 6 + 2);
            out[n++] = '"';
            for (byte b : utf8) {
                if (b >= 0x20 && b != '"' && b != '\\' || b < 0) {
                    out[n++] = b;
                    continue;
                }
                out[n++] = '\\';
                switch (b) {
                    case '"', '\\' -> out[n++] = b;
                    case '\b' -> out[n++] = 'b';
                    case '\f' -> out[n++] = 'f';
                    case '\n' -> out[n++] = 'n';
                    case '\r' -> out[n++] = 'r';
                    case '\t' -> out[n++] = 't';
                    default -> {
                        out[n++] = 'u';
                        out[n++] = '0';
                        out[n++] = '0';
                        out[n++] = HEX[b >> 4];
                        out[n++] = HEX[b & 0xf];
                    }
                }
            }
            out[n++] = '"';
        }

        /** As int8out writes it. */
        private void number(long value) {
            if (value == Long.MIN_VALUE) { // has no positive counterpart
                bytes(LONG_MIN);
                return;
            }
            room(20);
            if (value < 0) {
                out[n++] = '-';
                value = -value;
            }
            n = digits(value, 1, n);
        }

        /** As PostgreSQL's to_json writes a timestamptz (EncodeDateTime, XSD style) in the session's time zone. */
        private void time(OffsetDateTime at) {
            // How the client reads ±infinity: the greatest value, and a time before PostgreSQL's first (4714 BC).
            if (at.equals(OffsetDateTime.MAX) || at.getYear() < -4713) {
                escaped(at.equals(OffsetDateTime.MAX) ? "infinity" : "-infinity");
                return;
            }
            Instant instant = at.toInstant();
            ZoneOffset offset = zone.getOffset(instant);
            LocalDateTime local = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), offset);
            room(48);
            out[n++] = '"';
            int year = local.getYear();
            n = digits(year > 0 ? year : 1 - year, 4, n); // 1 BC is year 0 here
            out[n++] = '-';
            n = digits(local.getMonthValue(), 2, n);
            out[n++] = '-';
            n = digits(local.getDayOfMonth(), 2, n);
            out[n++] = 'T';
            n = digits(local.getHour(), 2, n);
            out[n++] = ':';
            n = digits(local.getMinute(), 2, n);
            out[n++] = ':';
            n = digits(local.getSecond(), 2, n);
            int micros = local.getNano() / 1000;
            if (micros != 0) {
                out[n++] = '.';
                int width = 6;
                while (micros % 10 == 0) {
                    micros /= 10;
                    width--;
                }
                n = digits(micros, width, n);
            }
            int seconds = offset.getTotalSeconds();
            out[n++] = (byte) (seconds >= 0 ? '+' : '-');
            seconds = Math.abs(seconds);
            n = digits(seconds / 3600, 2, n);
            out[n++] = ':';
            n = digits(seconds / 60 % 60, 2, n);
            if (seconds % 60 != 0) {
                out[n++] = ':';
                n = digits(seconds % 60, 2, n);
            }
            if (year <= 0) {
                out[n++] = ' ';
                out[n++] = 'B';
                out[n++] = 'C';
            }
            out[n++] = '"';
        }

        /** {@code value} (not negative) in decimal, zero-padded to at least {@code width} digits, at {@code at}; the position after it. */
        private int digits(long value, int width, int at) {
            int length = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                length++;
            }
            length = Math.max(width, length);
            for (int i = at + length - 1; i >= at; i--) {
                out[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            return at + length;
        }
    }
}
