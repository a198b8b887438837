package dev.agentfactory.approval;

import java.util.List;

/**
 * Where a request goes, as the routing rules decided it.
 *
 * @param escalationRole the role the request goes to once at its deadline, or null (it expires)
 */
public record Route(int requiredApprovals, String approverRole, long timeoutSeconds, int priority,
                    String escalationRole, long escalationSeconds, List<String> rulesFired, String ruleSetVersion) {
    public Route {
        rulesFired = List.copyOf(rulesFired);
    }
}
