package gateway.backup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.backup.restore.BackupReader.Element;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Typed, checked access to an element's fields; errors name the element and the field, never a value. */
final class Fields {

    private final Element element;
    private final JsonNode node;

    Fields(Element element) {
        this.element = element;
        this.node = element.node();
    }

    Element element() {
        return element;
    }

    private RestoreException wrong(String field, String expected) {
        return new RestoreException("Invalid " + element.where() + ": " + field + " must be " + expected);
    }

    private JsonNode present(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    String text(String field) {
        JsonNode value = present(field);
        if (value != null && !value.isTextual()) {
            throw wrong(field, "a string");
        }
        if (value != null && value.textValue().indexOf('\u0000') >= 0) {
            throw wrong(field, "text without the NUL character (\\u0000), which PostgreSQL cannot store");
        }
        return value == null ? null : value.asText();
    }

    String text(String field, String fallback) {
        String value = text(field);
        return value == null ? fallback : value;
    }

    String requiredText(String field) {
        String value = text(field);
        if (value == null || value.isEmpty()) {
            throw new RestoreException("Invalid " + element.where() + ": " + field + " is required");
        }
        return value;
    }

    /** A string from a fixed set of values; {@code fallback} when absent. */
    String oneOf(String field, Set<String> allowed, String fallback) {
        String value = text(field);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw new RestoreException("Invalid " + element.where() + ": unknown " + field + " \"" + value
                    + "\" (expected one of " + allowed + ")");
        }
        return value;
    }

    Long number(String field) {
        JsonNode value = present(field);
        if (value != null && !(value.isIntegralNumber() && value.canConvertToLong())) {
            throw wrong(field, "an integer (no fraction or exponent) between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
        }
        return value == null ? null : value.asLong();
    }

    long number(String field, long fallback) {
        Long value = number(field);
        return value == null ? fallback : value;
    }

    Double decimal(String field) {
        JsonNode value = present(field);
        if (value != null && !(value.isNumber() && Double.isFinite(value.asDouble()))) {
            throw wrong(field, "a finite number");
        }
        return value == null ? null : value.asDouble();
    }

    boolean bool(String field) {
        JsonNode value = present(field);
        if (value != null && !value.isBoolean()) {
            throw wrong(field, "true or false");
        }
        return value != null && value.asBoolean();
    }

    /** Any JSON; PostgreSQL's jsonb refuses the NUL character in its strings and keys. */
    JsonNode json(String field) {
        JsonNode value = present(field);
        if (value != null && containsNul(value)) {
            throw wrong(field, "JSON without the NUL character (\\u0000), which PostgreSQL cannot store");
        }
        return value;
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext(); ) {
                var entry = fields.next();
                if (entry.getKey().indexOf('\u0000') >= 0 || containsNul(entry.getValue())) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (containsNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Years PostgreSQL's timestamptz and Java both hold. */
    private static final int MIN_YEAR = 1;
    private static final int MAX_YEAR = 9999;

    OffsetDateTime time(String field) {
        String value = text(field);
        try {
            OffsetDateTime time = value == null ? null : OffsetDateTime.parse(value);
            if (time != null && (time.getYear() < MIN_YEAR || time.getYear() > MAX_YEAR)) {
                throw wrong(field, "an RFC 3339 time in the years " + MIN_YEAR + " to " + MAX_YEAR);
            }
            return time;
        } catch (DateTimeParseException e) {
            throw wrong(field, "an RFC 3339 time");
        }
    }
}
