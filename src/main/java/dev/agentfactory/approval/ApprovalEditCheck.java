package dev.agentfactory.approval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/**
 * Re-checks a payload an approver wants to approve instead of the one proposed. The package that
 * raised the request knows what its payload may be (runtime: tiers 1 and 2 of the live rules);
 * it throws a 4xx {@code ApiException} to refuse the edit.
 */
public interface ApprovalEditCheck {

    /** What the re-check found, recorded in the audit entry of the edit. */
    record Rechecked(String decision, List<String> reasons, List<String> rulesFired, String ruleSetVersion) {
        public Rechecked {
            reasons = List.copyOf(reasons);
            rulesFired = List.copyOf(rulesFired);
        }
    }

    Rechecked check(UUID organizationId, UUID agentId, UUID decisionId, JsonNode payload);
}
