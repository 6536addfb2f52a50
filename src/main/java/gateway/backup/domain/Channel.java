package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcType;

@Entity
@Table(name = "channels")
public class Channel extends SoftDeletableEntity {

    public String type;
    public String baseUrl;
    public String name;
    public String status = "disabled";

    /** Upstream secrets: never logged, never part of an error message. */
    @JdbcType(JsonbJdbcType.class)
    public JsonNode credentials;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode disabledApiKeys;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode supportedModels = JsonNodeFactory.instance.arrayNode();

    @JdbcType(JsonbJdbcType.class)
    public JsonNode manualModels;

    public boolean autoSyncSupportedModels;
    public String autoSyncModelPattern;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode tags;

    public String defaultTestModel;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode policies;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode settings;

    public long orderingWeight;
    public String errorMessage;
    public String remark;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode endpoints;

    @Override
    public String toString() {
        return "Channel[id=" + id + ", name=" + name + "]"; // credentials stay out of logs
    }
}
