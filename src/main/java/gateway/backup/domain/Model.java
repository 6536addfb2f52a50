package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcType;

@Entity
@Table(name = "models")
public class Model extends SoftDeletableEntity {

    public String developer;
    public String modelId;
    public String type = "chat";
    public String name = "";
    public String icon = "";
    public String group = "";

    @JdbcType(JsonbJdbcType.class)
    public JsonNode modelCard;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode settings;

    public String status = "enabled";
    public String remark;
}
