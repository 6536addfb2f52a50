/**
 * Token verification and the owner rule.
 * <p>
 * The gateway signs HS256 tokens with a shared secret; smallrye-jwt verifies them
 * (signature, issuer, expiry) and maps the {@code groups} claim to roles. Backup,
 * restore and settings need the {@link gateway.backup.security.Roles#OWNER} role.
 * The secret itself never reaches a log or an error message.
 */
package gateway.backup.security;
