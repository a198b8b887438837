package dev.agentfactory.web;

import java.util.List;

/** A request that the governance rules refuse: a 422 whose details are the findings. */
public class ValidationFailedException extends ApiException {
    public ValidationFailedException(String message, List<?> findings) {
        super(422, "validation_failed", message, findings);
    }
}
