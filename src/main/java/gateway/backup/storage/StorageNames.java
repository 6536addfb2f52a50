package gateway.backup.storage;

/** The one rule for names callers pass to a storage: a plain file name, never a path. */
public final class StorageNames {

    private StorageNames() {
    }

    /**
     * Refuses null, empty, {@code .}, {@code ..}, and anything with a slash, a backslash or a
     * control character, so a name can never reach outside the storage's folder.
     */
    public static String requireFileName(String name, String storage) throws StorageException {
        boolean ok = name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c));
        if (!ok) {
            throw new StorageException("Not a backup file name for " + storage + ": \"" + name
                    + "\"; use a plain file name without '/', '\\' or '..'");
        }
        return name;
    }
}
