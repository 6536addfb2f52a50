package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcType;

@Entity
@Table(name = "channel_model_prices")
public class ChannelModelPrice extends SoftDeletableEntity {

    public long channelId;
    public String modelId;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode price;

    public String referenceId;
}
