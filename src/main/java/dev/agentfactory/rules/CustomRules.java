package dev.agentfactory.rules;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.model.BlueprintFact;
import dev.agentfactory.rules.model.ProposedAction;
import java.util.Optional;
import java.util.UUID;

/**
 * One organization's own rules, applied after the shared ones by {@link ActionPipeline} and
 * {@link BlueprintValidator}. What they return are additions only: input facts for a second run of
 * the shared rules. (The custom-rules feature implements it; the policy package only calls it.)
 */
public interface CustomRules {
    boolean judgesActions();

    boolean judgesBlueprints();

    /** @param riskScore the shared rules' score, before custom risk */
    CustomOutcome onAction(ProposedAction action, ActionScope scope, double riskScore, UUID agentId,
                           BlueprintSpec agent);

    CustomOutcome onBlueprint(BlueprintFact blueprint);

    /** Where the policy finds an organization's rules. */
    @FunctionalInterface
    interface Lookup {
        /** No organization has rules of its own: the shared rules alone (rule tests, the CLI). */
        Lookup NONE = organizationId -> Optional.empty();

        Optional<CustomRules> find(UUID organizationId);
    }
}
