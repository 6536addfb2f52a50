package gateway.backup.api;

import io.smallrye.graphql.api.CustomScalar;
import io.smallrye.graphql.api.CustomStringScalar;

/**
 * The GraphQL {@code Upload} scalar of the multipart request spec. Its value is the opaque
 * token that {@link MultipartGraphQLRoute} puts where the file was mapped; only that route
 * registers tokens, so a plain JSON request cannot name a file on the server.
 */
@CustomScalar("Upload")
public class Upload implements CustomStringScalar {

    private final String token;

    public Upload(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String stringValueForSerialization() {
        return token;
    }
}
