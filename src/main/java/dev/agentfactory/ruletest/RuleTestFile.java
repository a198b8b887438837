package dev.agentfactory.ruletest;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** One case. {@code kind} is {@code blueprint} (default). */
    public record Case(String name, String kind, JsonNode blueprint, Requester requester, Expect expect) {
    }

    /** Who asks; defaults to a non-admin PM. */
    public record Requester(String principal, Boolean admin) {
    }

    /**
     * What must hold; every field is optional.
     *
     * @param fired rule ids that must fire
     * @param notFired rule ids that must not fire
     */
    public record Expect(Boolean valid, List<String> fired, List<String> notFired, Boolean requiresApproval,
                         RiskLevel riskLevel) {
        public Expect {
            fired = fired == null ? List.of() : List.copyOf(fired);
            notFired = notFired == null ? List.of() : List.copyOf(notFired);
        }
    }
}
