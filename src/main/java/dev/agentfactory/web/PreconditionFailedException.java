package dev.agentfactory.web;

import java.util.List;

public class PreconditionFailedException extends ApiException {
    public PreconditionFailedException(String message, List<FieldProblem> details) {
        super(412, "precondition_failed", message, details);
    }
}
