package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "channels")
public class Channel extends SoftDeletableEntity {

    public String type;
    public String baseUrl;
    public String name;
    public String status = "disabled";

    /** Upstream secrets: never logged, never part of an error message. */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode credentials;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode disabledApiKeys;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode supportedModels;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode manualModels;

    public boolean autoSyncSupportedModels;
    public String autoSyncModelPattern;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode tags;

    public String defaultTestModel;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode policies;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode settings;

    public long orderingWeight;
    public String errorMessage;
    public String remark;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode endpoints;

    @Override
    public String toString() {
        return "Channel[id=" + id + ", name=" + name + "]"; // credentials stay out of logs
    }
}
