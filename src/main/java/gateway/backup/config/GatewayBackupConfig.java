package gateway.backup.config;

import gateway.backup.domain.BatchLimit;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.util.Optional;

/** Every {@code gateway-backup.*} setting; README.md's configuration table lists them. */
@ConfigMapping(prefix = "gateway-backup")
public interface GatewayBackupConfig {

    Backup backup();

    Restore restore();

    Graphql graphql();

    Jwt jwt();

    AutoBackup autoBackup();

    /** How usage rows (backup) or file elements (restore) are grouped in batches. */
    interface Batches {
        /** Rows or elements per batch. */
        @WithDefault("2000")
        @Min(1)
        int batchSize();

        /** A batch ends early once its JSON reaches this size (large request payloads). */
        @WithDefault("1M")
        MemorySize batchMaxSize();

        default BatchLimit batchLimit() {
            return new BatchLimit(batchSize(), batchMaxSize().asLongValue());
        }
    }

    interface Backup extends Batches {
        /** Largest file the GraphQL backup returns inline. */
        @WithDefault("16M")
        MemorySize inlineMaxSize();
    }

    interface Restore extends Batches {
        /** Largest file restore accepts, multipart or import. */
        @WithDefault("10G")
        MemorySize maxUploadSize();

        /** Where multipart uploads are spooled until their request ends. */
        @WithDefault("${java.io.tmpdir}/gateway-backup-uploads")
        String uploadDirectory();
    }

    interface Graphql {
        /** Largest plain (non-multipart) GraphQL request. */
        @WithDefault("16M")
        MemorySize maxRequestSize();
    }

    /** The scheduled backup; what and where come from the gateway's settings in the database. */
    interface AutoBackup {
        /** When the schedule fires (Quartz cron, seconds first), in the timezone below. */
        @WithDefault("0 0 2 * * ?")
        String cron();

        /** Timezone of the schedule when the gateway's system_general_settings names none. */
        @WithDefault("UTC")
        String timezone();

        /** Backup file names start with this, then yyyy-MM-dd_HH-mm-ss. */
        @WithDefault("axonhub-backup-")
        String filePrefix();
    }

    interface Jwt {
        /** The HS256 secret the gateway signs tokens with (GATEWAY_BACKUP_JWT_SECRET). */
        Optional<String> secret();
    }
}
