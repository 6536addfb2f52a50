package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcType;

@Entity
@Table(name = "api_keys")
public class ApiKey extends SoftDeletableEntity {

    public Long userId;
    public long projectId = 1;

    /** The client's secret: never logged, never part of an error message. */
    public String key;

    public String name = "";
    public String type = "user";
    public String status = "enabled";

    @JdbcType(JsonbJdbcType.class)
    public JsonNode scopes;

    @JdbcType(JsonbJdbcType.class)
    public JsonNode profiles;

    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", name=" + name + "]"; // the key value stays out of logs
    }
}
