package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcType;

@Entity
@Table(name = "projects")
public class Project extends SoftDeletableEntity {

    public static final String DEFAULT_NAME = "Default";

    public String name;
    public String description = "";
    public String status = "active";

    @JdbcType(JsonbJdbcType.class)
    public JsonNode profiles;
}
