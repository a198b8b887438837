package dev.agentfactory.rules;


import java.util.List;

/**
 * Where a request goes, as the routing rules decided it.
 *
 * @param escalationRole the role the request goes to once at its deadline, or null (it expires)
 * @param excluded who the rules say may not vote on it, besides those the server always excludes
 * @param grantable the most a standing grant made from it may allow, or null: it may not become one
 */
public record Route(int requiredApprovals, String approverRole, long timeoutSeconds, int priority,
                    String escalationRole, long escalationSeconds, List<String> rulesFired, String ruleSetVersion,
                    List<ExcludedVoter> excluded, dev.agentfactory.rules.model.Routing.Grantable grantable) {
    public Route {
        rulesFired = List.copyOf(rulesFired);
        excluded = List.copyOf(excluded);
    }
}
