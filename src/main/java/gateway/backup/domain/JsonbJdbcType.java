package gateway.backup.domain;

import io.vertx.core.json.Json;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.BasicExtractor;
import org.hibernate.type.descriptor.jdbc.JsonJdbcType;

/**
 * jsonb for Hibernate Reactive, for any JSON value. Hibernate Reactive's own JSON type only
 * handles objects and fails on arrays (hibernate-reactive#4156), but gateway columns such as
 * supported_models, tags and scopes hold arrays. Values travel as Vert.x JSON values.
 */
public class JsonbJdbcType extends JsonJdbcType {

    public JsonbJdbcType() {
        super(null);
    }

    @Override
    public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
        return new BasicBinder<>(javaType, this) {
            @Override
            protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options)
                    throws SQLException {
                st.setObject(index, Json.decodeValue(JsonbJdbcType.this.toString(value, javaType, options)));
            }

            @Override
            protected void doBind(CallableStatement st, X value, String name, WrapperOptions options)
                    throws SQLException {
                st.setObject(name, Json.decodeValue(JsonbJdbcType.this.toString(value, javaType, options)));
            }
        };
    }

    @Override
    public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
        return new BasicExtractor<>(javaType, this) {
            @Override
            protected X doExtract(ResultSet rs, int index, WrapperOptions options) throws SQLException {
                return fromJsonValue(rs.getObject(index), options);
            }

            @Override
            protected X doExtract(CallableStatement st, int index, WrapperOptions options) throws SQLException {
                return fromJsonValue(st.getObject(index), options);
            }

            @Override
            protected X doExtract(CallableStatement st, String name, WrapperOptions options) throws SQLException {
                return fromJsonValue(st.getObject(name), options);
            }

            private X fromJsonValue(Object value, WrapperOptions options) throws SQLException {
                return value == null ? null : JsonbJdbcType.this.fromString(Json.encode(value), getJavaType(), options);
            }
        };
    }
}
