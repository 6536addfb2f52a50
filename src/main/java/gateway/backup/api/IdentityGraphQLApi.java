package gateway.backup.api;

import gateway.backup.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.jwt.JsonWebToken;

@GraphQLApi
public class IdentityGraphQLApi {

    @Inject
    JsonWebToken token;

    @Query("whoami")
    @Description("The acting owner's user id (the token's sub claim).")
    @RolesAllowed(Roles.OWNER)
    public String whoami() {
        return token.getSubject();
    }
}
