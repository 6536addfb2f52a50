package gateway.backup.security;

/** Roles come from the token's {@code groups} claim. */
public final class Roles {

    /** The only role allowed to back up, restore or change settings. */
    public static final String OWNER = "owner";

    private Roles() {
    }
}
