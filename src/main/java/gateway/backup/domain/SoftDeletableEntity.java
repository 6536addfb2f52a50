package gateway.backup.domain;

import jakarta.persistence.MappedSuperclass;

/** Gateway tables that soft-delete: {@code deleted_at} is 0 for live rows. */
@MappedSuperclass
public abstract class SoftDeletableEntity extends GatewayEntity {

    public static final long LIVE = 0L;

    public long deletedAt = LIVE;
}
