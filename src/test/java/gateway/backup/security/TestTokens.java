package gateway.backup.security;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

/** Tokens as the gateway signs them: HS256 with the configured shared secret. */
public final class TestTokens {

    public static final String ISSUER = "gateway";

    private TestTokens() {
    }

    public static String secret() {
        return ConfigProvider.getConfig().getValue("gateway-backup.jwt.secret", String.class);
    }

    public static String owner() {
        return sign(ISSUER, Set.of(Roles.OWNER), Instant.now().plus(Duration.ofHours(1)), secret());
    }

    public static String member() {
        return sign(ISSUER, Set.of("member"), Instant.now().plus(Duration.ofHours(1)), secret());
    }

    public static String sign(String issuer, Set<String> groups, Instant expiresAt, String secret) {
        return Jwt.issuer(issuer)
                .subject("42")
                .groups(groups)
                .issuedAt(expiresAt.minus(Duration.ofHours(2)))
                .expiresAt(expiresAt)
                .signWithSecret(secret);
    }
}
