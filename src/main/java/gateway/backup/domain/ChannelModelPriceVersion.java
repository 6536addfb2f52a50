package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcType;

@Entity
@Table(name = "channel_model_price_versions")
public class ChannelModelPriceVersion extends GatewayEntity {

    public static final String ACTIVE = "active";
    public static final String ARCHIVED = "archived";

    public long channelId;
    public String modelId;
    public long channelModelPriceId;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode price;

    public String status = ACTIVE;
    public OffsetDateTime effectiveStartAt;
    public OffsetDateTime effectiveEndAt;
    public String referenceId;
}
