package gateway.backup.security;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The owner check for GraphQL operations. Unlike {@code @RolesAllowed}, whose error
 * reaches GraphQL clients as a bare "System error", it says what is missing.
 */
@RequestScoped
public class Owner {

    public static final String FORBIDDEN = "Forbidden: this operation needs a token whose groups contain 'owner'";

    @Inject
    SecurityIdentity identity;

    /** Throws unless the caller is an owner; returns the owner's user id (the token's sub). */
    public String require() {
        if (identity.isAnonymous() || !identity.hasRole(Roles.OWNER)) {
            throw new ForbiddenException(FORBIDDEN);
        }
        // The principal's name may come from upn or preferred_username; the user id is sub.
        return identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getSubject() : identity.getPrincipal().getName();
    }
}
