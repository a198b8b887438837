package dev.agentfactory.rules;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.QuotaClaim;
import java.util.ArrayList;
import java.util.List;

/**
 * What the three tiers decided for one action, before the database enforced its constraints.
 *
 * @param claims constraints the decision uses up (daily cap, cooldown) if it stands
 */
public record Evaluation(String actionType, ActionScope scope, Decision decision, double riskScore,
                         List<String> reasons, List<String> rulesFired, List<QuotaClaim> claims,
                         String ruleSetVersion, int agentVersion) {
    public Evaluation {
        reasons = List.copyOf(reasons);
        rulesFired = List.copyOf(rulesFired);
        claims = List.copyOf(claims);
    }

    /** The same evaluation, rejected because the database refused one of its claims. */
    public Evaluation rejectedBy(QuotaClaim claim) {
        List<String> fired = new ArrayList<>(rulesFired);
        List<String> why = new ArrayList<>();
        why.add(claim.reason());
        return new Evaluation(actionType, scope, Decision.REJECT, riskScore, why, fired, List.of(), ruleSetVersion,
                agentVersion);
    }
}
