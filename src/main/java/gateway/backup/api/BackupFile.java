package gateway.backup.api;

import gateway.backup.storage.StoredFile;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;

/** A backup file in a storage (SPEC section 8). */
public class BackupFile {

    @NonNull
    public String name;
    public long size;
    @NonNull
    public OffsetDateTime modifiedAt;
    @Description("The manifest beside the file (counts, SHA-256); null until manifests are written")
    public String manifest;

    static BackupFile of(StoredFile file) {
        BackupFile backup = new BackupFile();
        backup.name = file.name();
        backup.size = file.size();
        backup.modifiedAt = file.modifiedAt().atOffset(ZoneOffset.UTC);
        return backup;
    }
}
