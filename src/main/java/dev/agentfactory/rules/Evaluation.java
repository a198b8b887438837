package dev.agentfactory.rules;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.QuotaClaim;
import java.util.ArrayList;
import java.util.List;

/**
 * What the three tiers decided for one action, before the database enforced its constraints.
 *
 * @param claims constraints the decision uses up (daily cap, cooldown) if it stands
 * @param llmVerdict what the LLM said (or why it was not used) when the rules consulted it, else null;
 *     stored with the decision so that replay takes the answer as it was
 * @param hardReasons a hard or mandatory reason asks a human: no standing grant may cover the action
 */
public record Evaluation(String actionType, ActionScope scope, Decision decision, double riskScore,
                         List<String> reasons, List<String> rulesFired, List<QuotaClaim> claims,
                         String ruleSetVersion, int agentVersion, LlmVerdict llmVerdict, boolean hardReasons) {
    public Evaluation {
        reasons = List.copyOf(reasons);
        rulesFired = List.copyOf(rulesFired);
        claims = List.copyOf(claims);
    }

    public Evaluation(String actionType, ActionScope scope, Decision decision, double riskScore, List<String> reasons,
                      List<String> rulesFired, List<QuotaClaim> claims, String ruleSetVersion, int agentVersion) {
        this(actionType, scope, decision, riskScore, reasons, rulesFired, claims, ruleSetVersion, agentVersion, null,
                false);
    }

    /** The same evaluation, executed under a standing grant instead of waiting for a human. */
    public Evaluation grantedBy(String grant) {
        List<String> why = new ArrayList<>();
        why.add(grant);
        why.addAll(reasons);
        return new Evaluation(actionType, scope, Decision.EXECUTE, riskScore, why, rulesFired, claims, ruleSetVersion,
                agentVersion, llmVerdict, false);
    }

    /** The same evaluation, rejected because the database refused one of its claims. */
    public Evaluation rejectedBy(QuotaClaim claim) {
        List<String> fired = new ArrayList<>(rulesFired);
        List<String> why = new ArrayList<>();
        why.add(claim.reason());
        return new Evaluation(actionType, scope, Decision.REJECT, riskScore, why, fired, List.of(), ruleSetVersion,
                agentVersion, llmVerdict, hardReasons);
    }
}
