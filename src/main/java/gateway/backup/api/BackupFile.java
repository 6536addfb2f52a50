package gateway.backup.api;

import gateway.backup.storage.StoredFile;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;

/** A backup file in a storage (docs/graphql-api.md, type BackupFile). */
public class BackupFile {

    @NonNull
    public String name;
    public long size;
    @NonNull
    public OffsetDateTime modifiedAt;
    @Description("The manifest beside the file (JSON: counts per section, bytes, SHA-256, options, watermark); null when there is none")
    public String manifest;

    static BackupFile of(StoredFile file, String manifest) {
        BackupFile backup = new BackupFile();
        backup.manifest = manifest;
        backup.name = file.name();
        backup.size = file.size();
        backup.modifiedAt = file.modifiedAt().atOffset(ZoneOffset.UTC);
        return backup;
    }
}
