package gateway.backup.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class AutoBackupSettingsTests {

    @Test
    void shouldReadTheDefaultsWhenNothingIsStored() {
        assertEquals(AutoBackupSettings.DEFAULTS, AutoBackupSettings.fromJson((String) null));
        assertEquals(AutoBackupSettings.DEFAULTS, AutoBackupSettings.fromJson("{}"));
        AutoBackupSettings d = AutoBackupSettings.DEFAULTS;
        assertFalse(d.enabled());
        assertEquals(BackupFrequency.daily, d.frequency());
        assertTrue(d.includeChannels() && d.includeModels() && d.includeModelPrices());
        assertFalse(d.includeApiKeys() || d.includeUsageStats() || d.includeRequestLogs());
        assertEquals(30, d.retentionDays());
    }

    @Test
    void shouldReadAnOlderValueWithoutUsageOrRequestLogsAsOff() {
        AutoBackupSettings s = AutoBackupSettings.fromJson("{\"enabled\":true,\"frequency\":\"weekly\",\"data_storage_id\":4,"
                + "\"include_channels\":false,\"include_models\":true,\"include_api_keys\":true,\"include_model_prices\":false,"
                + "\"retention_days\":0,\"last_backup_at\":\"2026-03-01T02:00:05.123456789+08:00\",\"last_backup_error\":\"\"}");
        assertEquals(new AutoBackupSettings(true, BackupFrequency.weekly, 4, false, true, true, false, false, false, 0,
                Instant.parse("2026-02-28T18:00:05.123456789Z"), null, java.util.List.of(), AutoBackupSettings.BackupMode.full, 7), s);
        assertNull(AutoBackupSettings.fromJson("{\"last_backup_at\":\"0001-01-01T00:00:00Z\"}").lastBackupAt());
    }

    @Test
    void shouldKeepUnknownKeysAndTheLastRunWhenWriting() {
        ObjectNode stored = AutoBackupSettings.parse("{\"enabled\":false,\"future_field\":{\"a\":1},"
                + "\"last_backup_at\":\"2026-01-01T00:00:00Z\",\"last_backup_error\":\"disk full\"}");
        AutoBackupSettings updated = AutoBackupSettings.fromJson(stored).with(new AutoBackupSettings.Update(null,
                BackupFrequency.monthly, null, null, null, null, null, true, null, 5));
        ObjectNode written = updated.writeInto(stored.deepCopy());
        assertEquals("{\"a\":1}", written.get("future_field").toString());
        assertEquals("disk full", written.get("last_backup_error").asText());
        assertEquals("2026-01-01T00:00:00Z", written.get("last_backup_at").asText());
        assertEquals("monthly", written.get("frequency").asText());
        assertTrue(written.get("include_usage_stats").asBoolean());
        assertEquals(5, written.get("retention_days").asInt());
        assertFalse(written.get("enabled").asBoolean());
        assertTrue(written.get("include_channels").asBoolean());
    }

    @Test
    void shouldRunWeeklyOnSundaysAndMonthlyOnTheFirst() {
        LocalDate sunday = LocalDate.parse("2026-11-29");
        LocalDate first = LocalDate.parse("2026-12-01");
        assertTrue(BackupFrequency.daily.isDueOn(first));
        assertTrue(BackupFrequency.weekly.isDueOn(sunday));
        assertFalse(BackupFrequency.weekly.isDueOn(first));
        assertTrue(BackupFrequency.monthly.isDueOn(first));
        assertFalse(BackupFrequency.monthly.isDueOn(sunday));
    }
}
