package gateway.backup.security;

import gateway.backup.config.GatewayBackupConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start a production service without a usable token key: an HS256 secret of
 * at least 32 bytes in GATEWAY_BACKUP_JWT_SECRET, or an RS256 public key configured
 * through the standard MicroProfile JWT settings.
 */
@Singleton
public class JwtSecretCheck {

    static final int MIN_SECRET_BYTES = 32;

    @Inject
    GatewayBackupConfig config;

    @ConfigProperty(name = "mp.jwt.verify.publickey")
    Optional<String> publicKey;

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> publicKeyLocation;

    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL || publicKey.isPresent() || publicKeyLocation.isPresent()) {
            return;
        }
        String problem = problemWith(config.jwt().secret().orElse(""));
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** What is wrong with the secret, or null; never includes the secret itself. */
    static String problemWith(String secret) {
        if (secret.isBlank()) {
            return "GATEWAY_BACKUP_JWT_SECRET is not set: the service needs the secret the gateway signs its tokens with";
        }
        int length = secret.getBytes(StandardCharsets.UTF_8).length;
        if (length < MIN_SECRET_BYTES) {
            return "GATEWAY_BACKUP_JWT_SECRET is " + length + " bytes long; HS256 needs at least " + MIN_SECRET_BYTES;
        }
        return null;
    }
}
