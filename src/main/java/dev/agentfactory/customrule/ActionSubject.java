package dev.agentfactory.customrule;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.model.ProposedAction;
import java.util.UUID;

/**
 * A proposed action as custom action rules see it, with what the shared rules made of it.
 *
 * @param scope the action's scope per the catalog
 * @param riskScore the shared rules' risk score, before any custom risk
 * @param agent the blueprint version of the agent that proposes it
 */
record ActionSubject(ProposedAction action, ActionScope scope, double riskScore, UUID agentId, BlueprintSpec agent)
        implements Subject {

    @Override
    public Object value(String field) {
        return switch (field) {
            case "actionType" -> action.actionType();
            case "scope" -> scope;
            case "confidence" -> action.confidence();
            case "riskScore" -> riskScore;
            case "contactId" -> action.contactId();
            case "contextTypes" -> action.contextTypes();
            case "accessLevel" -> action.accessLevel();
            case "industryProfile" -> agent.industryProfile();
            case "overrideMode" -> agent.actionConfig().overrideMode();
            case "agentId" -> agentId.toString();
            default -> {
                if (field.startsWith("payload.")) {
                    yield Subject.entry(action.payload(), field);
                }
                if (field.startsWith("userOverrides.")) {
                    yield Subject.entry(action.userOverrides(), field);
                }
                throw new IllegalArgumentException("not an action field: " + field);
            }
        };
    }
}
