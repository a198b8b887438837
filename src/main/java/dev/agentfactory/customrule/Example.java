package dev.agentfactory.customrule;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.model.ProposedAction;
import java.util.UUID;

/**
 * A stated behaviour of a custom rule, checked whenever the organization's custom rules change.
 *
 * @param action the proposed action (action rules), or null
 * @param agentId the id the example's agent runs under (action rules; null: a fixed example id)
 * @param blueprint the blueprint: the agent proposing the action, or the one validated
 * @param fires true when the rule must fire on it, false when it must stay quiet
 */
record Example(ProposedAction action, UUID agentId, BlueprintSpec blueprint, boolean fires) {
}
