package gateway.backup.domain;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A row of the gateway's {@code systems} key/value table. */
@Entity
@Table(name = "systems")
public class SystemSetting extends SoftDeletableEntity {

    public static final String AUTO_BACKUP_SETTINGS = "system_auto_backup_settings";
    public static final String GENERAL_SETTINGS = "system_general_settings";

    public String key;
    public String value;
}
