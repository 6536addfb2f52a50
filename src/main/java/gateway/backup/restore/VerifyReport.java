package gateway.backup.restore;

import java.util.ArrayList;
import java.util.List;

/**
 * What verifying a backup file found (docs/graphql-api.md, type VerifyReport): whether it is a valid backup,
 * its version, rows per section, the SHA-256 of the bytes given (as stored: compressed, encrypted),
 * whether that matches the manifest, and how many usage logs name a request the file lacks.
 */
public class VerifyReport {
    public boolean valid;
    public String version;
    public List<RestoreReport.KindCounts> sections = new ArrayList<>();
    public String sha256;
    public String message;
    /** Size of the bytes given. */
    public Long bytes;
    /** Whether size and SHA-256 match the manifest beside the file; null when there is none. */
    public Boolean manifestMatches;
    /** Usage logs whose request_id is not among the file's usage requests (an incremental's logs may name earlier files' requests). */
    public Long usageLogsWithoutRequest;
    /** Whether the file is age-encrypted. */
    public boolean encrypted;
}
