package dev.agentfactory.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.RiskLevel;
import java.util.List;

/**
 * A file of rule test cases under {@code rules/tests/}: each case is an input and the outcome the
 * rules must produce. {@code base} is merged under every case's {@code blueprint}, so a case
 * states only what it changes.
 */
public record RuleTestFile(String description, JsonNode base, List<Case> cases) {
    public RuleTestFile {
        cases = cases == null ? List.of() : List.copyOf(cases);
    }

    /**
     * One case. {@code kind} is {@code blueprint} (default: validate {@code blueprint}) or
     * {@code action} (an agent compiled from {@code blueprint} proposes {@code action}; {@code paused}
     * and {@code llm}, the LLM's verdict if it is consulted, are optional) or {@code routing}
     * ({@code request} is routed). {@code callbackHosts} is the allow-list a blueprint case sees;
     * {@code history} the agent's recent history an action case's windowed rules see.
     */
    public record Case(String name, String kind, JsonNode blueprint, Requester requester, JsonNode action,
                       Boolean paused, Llm llm, List<String> callbackHosts, JsonNode request, Expect expect,
                       List<dev.agentfactory.rules.model.RecentActions> history) {
    }

    /** What the LLM says when an LLMDecision agent consults it; absent means "no LLM configured". */
    public record Llm(Boolean used, Boolean requireHuman, String reason) {
    }

    /** Who asks; defaults to a non-admin PM. */
    public record Requester(String principal, Boolean admin) {
    }

    /**
     * What must hold; every field is optional.
     *
     * @param fired rule ids that must fire
     * @param notFired rule ids that must not fire
     * @param decision (action cases) the decision; {@code scope}, {@code riskAtLeast}, {@code riskBelow} and
     *     {@code reasonContains} (a text one of the reasons must contain) likewise
     * @param requiredApprovals (routing cases) the route; {@code approverRole}, {@code timeoutSeconds},
     *     {@code priority} and {@code escalatesTo} (a role, or "" for none) likewise
     * @param excluded (routing cases) exactly the principals the rules exclude from voting
     */
    public record Expect(Boolean valid, List<String> fired, List<String> notFired, Boolean requiresApproval,
                         RiskLevel riskLevel, Decision decision, ActionScope scope, Double riskAtLeast,
                         Double riskBelow, String reasonContains, Integer requiredApprovals, String approverRole,
                         Long timeoutSeconds, Integer priority, String escalatesTo, List<String> excluded) {
        public Expect {
            fired = fired == null ? List.of() : List.copyOf(fired);
            notFired = notFired == null ? List.of() : List.copyOf(notFired);
        }
    }
}
