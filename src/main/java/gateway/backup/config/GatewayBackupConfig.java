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

    Jobs jobs();

    Encryption encryption();

    /** age encryption (crypto/): recipients for new files, identities for restoring encrypted ones. */
    interface Encryption {
        /** age X25519 public keys (age1...) new encrypted files are written to (GATEWAY_BACKUP_ENCRYPTION_RECIPIENTS). */
        Optional<java.util.List<String>> recipients();

        /** A file of age identities (AGE-SECRET-KEY-1... lines, # comments), e.g. a mounted Secret (GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE). */
        Optional<String> identityFile();
    }

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

        /**
         * The one spool directory: multipart uploads, import bodies and decompressed files, each
         * deleted when its request ends. Created 0700 (files 0600); refused at start if another user owns it.
         */
        @WithDefault("${java.io.tmpdir}/gateway-backup-uploads")
        String uploadDirectory();

        /** Largest file a gzip upload may decompress to; by default the upload limit. */
        Optional<MemorySize> maxDecompressedSize();

        /** Total bytes the spool directory may hold at once, over all requests. */
        @WithDefault("20G")
        MemorySize spoolMaxSize();

        /** Largest element (one row, one usage request or log) of a backup file; also the longest string. */
        @WithDefault("16M")
        MemorySize maxElementSize();

        /** Most JSON values (objects, arrays, strings, numbers...) in one element, so no element builds a giant tree. */
        @WithDefault("500000")
        @Min(1)
        int maxElementValues();

        /** Deepest nesting of objects and arrays in a backup file. */
        @WithDefault("200")
        @Min(4)
        int maxNestingDepth();

        /** Distinct project, channel and API key names remembered while restoring usage rows, per kind. */
        @WithDefault("10000")
        @Min(1)
        int referenceCacheSize();

        /**
         * Runs of consecutive request ids (old id → id here) a restore keeps in memory; past them its
         * map goes on in a temporary table. A restore of one exported table is a few runs.
         */
        @WithDefault("50000")
        @Min(1)
        int requestIdRuns();

        default long decompressedLimit() {
            return maxDecompressedSize().orElse(maxUploadSize()).asLongValue();
        }
    }

    interface Graphql {
        /** Largest plain (non-multipart) GraphQL request. */
        @WithDefault("16M")
        MemorySize maxRequestSize();

        /** Most fields (aliases included) one GraphQL operation may select (graphql-java query complexity). */
        @WithDefault("500")
        @Min(1)
        int maxFields();

        /** Deepest field nesting of a GraphQL operation. */
        @WithDefault("15")
        @Min(1)
        int maxDepth();
    }

    /** Connections and liveness. */
    Http http();

    interface Http {
        /** A connection with no bytes in or out for this long is closed (stalled headers or uploads). */
        @WithDefault("60s")
        java.time.Duration idleTimeout();

        /** Liveness is DOWN when an event loop has not run a trivial task for this long. */
        @WithDefault("10s")
        java.time.Duration eventLoopStallTimeout();
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

        /** On shutdown, how long a running auto-backup may take to finish before it is aborted. */
        @WithDefault("20s")
        java.time.Duration shutdownGrace();
    }

    /** Backup and restore jobs (job/), kept in memory for backupJobs and backupJobProgress. */
    interface Jobs {
        /** Most recent jobs remembered; older ones are forgotten. */
        @WithDefault("100")
        @Min(1)
        int keep();

        /** backupJobProgress sends at most one update per this interval. */
        @WithDefault("250ms")
        java.time.Duration progressInterval();
    }

    interface Jwt {
        /** The HS256 secret the gateway signs tokens with (GATEWAY_BACKUP_JWT_SECRET). */
        Optional<String> secret();
    }
}
