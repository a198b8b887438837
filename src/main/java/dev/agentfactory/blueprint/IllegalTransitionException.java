package dev.agentfactory.blueprint;

import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.FieldProblem;
import java.util.List;

/** A status change the blueprint's life does not allow (409); the transaction rolls back. */
public final class IllegalTransitionException extends ConflictException {
    public IllegalTransitionException(BlueprintStatus from, BlueprintStatus to) {
        super("a blueprint that is " + from + " cannot become " + to,
                List.of(new FieldProblem("status", "is " + from + "; cannot become " + to)));
    }
}
