package gateway.backup.security;

import gateway.backup.config.GatewayBackupConfig;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies tokens with the raw HS256 secret the gateway signs with. smallrye-jwt only
 * reads secret keys as JWK text, so the secret is handed over as a key object instead.
 * When no secret is set the standard MicroProfile JWT settings (e.g. an RS256 public key) apply.
 */
@ApplicationScoped
public class GatewayJwtContext {

    @Inject
    GatewayBackupConfig config;

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTAuthContextInfo contextInfo(JWTAuthContextInfoProvider standard) {
        JWTAuthContextInfo info = standard.getContextInfo();
        config.jwt().secret().filter(s -> !s.isBlank()).ifPresent(s -> info.setSecretVerificationKey(
                new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
        return info;
    }
}
