package gateway.backup.restore;

// SKELETON: the restore work replaces this with the real per-kind counts and warnings.
public class RestoreReport {
}
