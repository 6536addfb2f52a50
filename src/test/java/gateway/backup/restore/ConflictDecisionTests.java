package gateway.backup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The conflict decision on its own: no database, no Quarkus. */
class ConflictDecisionTests {

    @Test
    void shouldCreateARowThatDoesNotExistWhateverTheStrategy() {
        for (ConflictStrategy strategy : ConflictStrategy.values()) {
            assertEquals(ConflictDecision.create, ConflictDecision.of(strategy, false), strategy.name());
        }
    }

    @Test
    void shouldKeepAnExistingRowWithStrategySkip() {
        assertEquals(ConflictDecision.skip, ConflictDecision.of(ConflictStrategy.skip, true));
    }

    @Test
    void shouldUpdateAnExistingRowWithStrategyOverwrite() {
        assertEquals(ConflictDecision.update, ConflictDecision.of(ConflictStrategy.overwrite, true));
    }

    @Test
    void shouldFailOnAnExistingRowWithStrategyError() {
        assertEquals(ConflictDecision.fail, ConflictDecision.of(ConflictStrategy.error, true));
    }
}
