package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcType;

/** A row of the gateway's {@code usage_logs} table: tokens and cost of one request. */
@Entity
@Table(name = "usage_logs")
public class UsageLog extends GatewayEntity {

    public long requestId;
    public Long apiKeyId;
    public long projectId = 1;
    public Long channelId;
    public String modelId = "";
    public long promptTokens;
    public long completionTokens;
    public long totalTokens;
    public long promptAudioTokens;
    public long promptCachedTokens;
    public long promptWriteCachedTokens;
    @Column(name = "prompt_write_cached_tokens_5m")
    public long promptWriteCachedTokens5m;

    @Column(name = "prompt_write_cached_tokens_1h")
    public long promptWriteCachedTokens1h;

    public long completionAudioTokens;
    public long completionReasoningTokens;
    public long completionAcceptedPredictionTokens;
    public long completionRejectedPredictionTokens;
    public String source = "api";
    public String format = "openai/chat_completions";
    public Double totalCost;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode costItems;

    public String costPriceReferenceId;
}
