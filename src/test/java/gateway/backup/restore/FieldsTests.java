package gateway.backup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.backup.restore.BackupReader.Element;
import java.time.OffsetDateTime;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Typed access to an element's fields on its own: no database, no Quarkus. */
class FieldsTests {

    static final ObjectMapper JSON = new ObjectMapper();

    static Fields fields(String json) throws Exception {
        return new Fields(new Element("channels", 3, JSON.readTree(json)));
    }

    static String error(Runnable read) {
        return assertThrows(RestoreException.class, read::run).getMessage();
    }

    @Test
    void shouldReadPresentValuesAndFallBackOnAbsentOrNullOnes() throws Exception {
        Fields f = fields("{\"name\": \"a\", \"weight\": 7, \"on\": true, \"cost\": 1.5, \"at\": \"2025-01-02T03:04:05Z\", \"gone\": null}");
        assertEquals("a", f.text("name"));
        assertEquals("fallback", f.text("gone", "fallback"));
        assertEquals(7L, f.number("weight"));
        assertEquals(0L, f.number("missing", 0));
        assertTrue(f.bool("on"));
        assertFalse(f.bool("missing"));
        assertEquals(1.5, f.decimal("cost"));
        assertEquals(OffsetDateTime.parse("2025-01-02T03:04:05Z"), f.time("at"));
        assertNull(f.json("gone"));
    }

    @Test
    void shouldNameTheElementAndFieldOfAWrongType() throws Exception {
        assertEquals("Invalid channels[3]: name must be a string", error(() -> fieldsOf("{\"name\": 5}").text("name")));
        assertEquals("Invalid channels[3]: name is required", error(() -> fieldsOf("{\"name\": \"\"}").requiredText("name")));
        assertEquals("Invalid channels[3]: on must be true or false", error(() -> fieldsOf("{\"on\": \"yes\"}").bool("on")));
    }

    @Test
    void shouldRefuseAFractionOrAnExponentAsAnInteger() throws Exception {
        assertTrue(error(() -> fieldsOf("{\"id\": 1.5}").number("id")).startsWith("Invalid channels[3]: id must be an integer"));
        assertTrue(error(() -> fieldsOf("{\"id\": 1e18}").number("id")).startsWith("Invalid channels[3]: id must be an integer"));
    }

    @Test
    void shouldRefuseTheNulCharacterInTextAndJson() throws Exception {
        assertTrue(error(() -> fieldsOf("{\"name\": \"a\\u0000b\"}").text("name")).contains("NUL"));
        assertTrue(error(() -> fieldsOf("{\"settings\": {\"k\\u0000\": 1}}").json("settings")).contains("NUL"));
    }

    @Test
    void shouldRefuseAYearPastTheRangeAndAnUnknownValue() throws Exception {
        assertTrue(error(() -> fieldsOf("{\"at\": \"+10000-01-01T00:00:00Z\"}").time("at")).contains("at must be an RFC 3339 time"));
        String unknown = error(() -> fieldsOf("{\"status\": \"paused\"}").oneOf("status", Set.of("enabled"), "enabled"));
        assertTrue(unknown.contains("unknown status \"paused\""), unknown);
    }

    @Test
    void shouldNeverPutTheWrongValueIntoTheMessageOfAWrongType() throws Exception {
        String message = error(() -> fieldsOf("{\"credentials\": 12345678}").text("credentials"));
        assertFalse(message.contains("12345678"), message);
    }

    /** {@link #fields} for lambdas: the JSON is a literal, so a parse error is a bug in the test. */
    static Fields fieldsOf(String json) {
        try {
            return fields(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
