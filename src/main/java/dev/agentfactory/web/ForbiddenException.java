package dev.agentfactory.web;

import java.util.List;

public class ForbiddenException extends ApiException {
    public ForbiddenException(String message) {
        super(403, "forbidden", message, List.of());
    }
}
