package dev.agentfactory.runtime;

import dev.agentfactory.rules.ActionInput;

import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;

/** What a proposal must look like before the rules see it: sizes and ranges, each problem naming its field. */
final class ActionRequests {
    static final int MAX_ACTIONS = 50;

    private ActionRequests() {
    }

    static List<ProposedAction> check(ActionRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        if (request.traceId() != null && request.traceId().length() > 200) {
            problems.add(new FieldProblem("traceId", "must be at most 200 characters"));
        }
        if (request.actions() == null || request.actions().isEmpty()) {
            problems.add(new FieldProblem("actions", "at least one action is required"));
        } else if (request.actions().size() > MAX_ACTIONS) {
            problems.add(new FieldProblem("actions", "at most " + MAX_ACTIONS + " actions per request"));
        } else {
            for (int i = 0; i < request.actions().size(); i++) {
                check("actions[" + i + "].", request.actions().get(i), problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new BadRequestException("invalid proposal: " + problems.get(0).field() + " "
                    + problems.get(0).problem(), problems);
        }
        return request.actions().stream().map(a -> new ProposedAction(a.actionType(), a.confidence(), a.contactId(),
                a.contextTypes(), a.accessLevel(), a.payload(), a.userOverrides(), a.reasoning())).toList();
    }

    private static void check(String prefix, ActionInput action, List<FieldProblem> problems) {
        if (action == null) {
            problems.add(new FieldProblem(prefix.substring(0, prefix.length() - 1), "must be an object"));
            return;
        }
        if (action.actionType() == null || action.actionType().isBlank() || action.actionType().length() > 200) {
            problems.add(new FieldProblem(prefix + "actionType", "is required: 1-200 characters"));
        }
        if (action.confidence() == null || !(action.confidence() >= 0 && action.confidence() <= 1)) {
            problems.add(new FieldProblem(prefix + "confidence", "is required: a number between 0 and 1"));
        }
        if (action.contactId() != null && action.contactId().length() > 200) {
            problems.add(new FieldProblem(prefix + "contactId", "must be at most 200 characters"));
        }
        if (action.contextTypes() != null && (action.contextTypes().size() > 50 || action.contextTypes().contains(null))) {
            problems.add(new FieldProblem(prefix + "contextTypes", "at most 50 context types, none null"));
        }
        if (action.reasoning() != null && action.reasoning().length() > 10_000) {
            problems.add(new FieldProblem(prefix + "reasoning", "must be at most 10000 characters"));
        }
    }
}
