package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcType;

/** A row of the gateway's {@code requests} table: one call through the gateway. */
@Entity
@Table(name = "requests")
public class UsageRequest extends GatewayEntity {

    public Long apiKeyId;
    public long projectId = 1;
    public Long traceId;
    public Long dataStorageId;
    public String source = "api";
    public String modelId = "";
    public String reasoningEffort;
    public String format = "openai/chat_completions";

    @JdbcType(JsonbJdbcType.class)
    public JsonNode requestHeaders;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode requestBody;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode responseBody;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode responseChunks;

    public Long channelId;
    public String externalId;
    public String status;
    public boolean stream;
    public String clientIp = "";
    public Long metricsLatencyMs;
    public Long metricsFirstTokenLatencyMs;
    public Long metricsReasoningDurationMs;
    public boolean contentSaved;
    public Long contentStorageId;
    public String contentStorageKey;
    public OffsetDateTime contentSavedAt;
}
