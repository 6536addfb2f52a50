package gateway.backup.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "projects")
public class Project extends SoftDeletableEntity {

    public static final String DEFAULT_NAME = "Default";

    public String name;
    public String description = "";
    public String status = "active";

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode profiles;
}
