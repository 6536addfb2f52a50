/**
 * Timing of the service's work: {@link gateway.backup.metrics.Stopwatch} for a duration in log lines,
 * {@link gateway.backup.metrics.Timed#timed} for a whole backup or restore (a timer and a counter tagged
 * by outcome, one log line at the end). Log lines carry counts and durations, never a secret.
 */
package gateway.backup.metrics;
