package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcType;

@Entity
@Table(name = "data_storages")
public class DataStorage extends SoftDeletableEntity {

    public String name;
    public String description = "";
    public boolean primary;
    public String type;

    /** {"directory": ...} for fs, {"s3": {...}} for s3; holds storage keys, never logged. */
    @JdbcType(JsonbJdbcType.class)
    public JsonNode settings;

    public String status = "active";

    @Override
    public String toString() {
        return "DataStorage[id=" + id + ", name=" + name + ", type=" + type + "]";
    }
}
