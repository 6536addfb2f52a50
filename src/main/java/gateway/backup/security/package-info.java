/**
 * Token verification and the owner rule.
 * <p>
 * The gateway signs HS256 tokens with a shared secret; smallrye-jwt verifies them
 * (signature, issuer, expiry) and maps the {@code groups} claim to roles. Every path that
 * takes a body ({@code /graphql}, {@code /api/*}) needs the {@link gateway.backup.security.Roles#OWNER}
 * role in the HTTP permission policy, so a non-owner is refused before any body is read;
 * {@link gateway.backup.security.Owner} checks it again in each resolver.
 * The secret itself never reaches a log or an error message.
 */
package gateway.backup.security;
