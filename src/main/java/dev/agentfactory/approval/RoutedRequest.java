package dev.agentfactory.approval;

import dev.agentfactory.rules.Route;
import java.util.List;

/**
 * A request the routing rules have placed, ready to be raised inside the caller's transaction.
 * Routing reads who is involved with the agent and runs the rules before that transaction opens.
 */
public record RoutedRequest(ApprovalRequest request, Route route, List<ApprovalDao.Involved> involved) {
    public RoutedRequest {
        involved = List.copyOf(involved);
    }
}
