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
        if (value != null && !value.canConvertToLong()) {
            throw wrong(field, "an integer");
        }
        return value == null ? null : value.asLong();
    }

    long number(String field, long fallback) {
        Long value = number(field);
        return value == null ? fallback : value;
    }

    Double decimal(String field) {
        JsonNode value = present(field);
        if (value != null && !value.isNumber()) {
            throw wrong(field, "a number");
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

    JsonNode json(String field) {
        return present(field);
    }

    OffsetDateTime time(String field) {
        String value = text(field);
        try {
            return value == null ? null : OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw wrong(field, "an RFC 3339 time");
        }
    }
}
