package gateway.backup.api;

import gateway.backup.security.Owner;
import jakarta.inject.Inject;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Query;

@GraphQLApi
public class IdentityGraphQLApi {

    @Inject
    Owner owner;

    @Query("whoami")
    @Description("The acting owner's user id (the token's sub claim).")
    public String whoami() {
        return owner.require();
    }
}
