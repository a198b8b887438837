package dev.agentfactory.runtime;

import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.model.ProposedAction;
import java.util.UUID;

/**
 * Told about every decision once it is committed, on the request thread (shadow mode listens): it
 * must return at once and never fail the request. Not told about idempotent repeats.
 */
public interface DecisionTap {
    DecisionTap NONE = (organizationId, agent, paused, action, decided, stored) -> { };

    /**
     * @param decided the evaluation as the rules gave it
     * @param stored the decision as stored (a constraint the database refused rejects it)
     */
    void decided(UUID organizationId, CompiledAgent agent, boolean paused, ProposedAction action, Evaluation decided,
                 DecisionView stored);
}
