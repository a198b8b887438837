package dev.agentfactory.web;

import java.util.List;

public class ConflictException extends ApiException {
    public ConflictException(String message) {
        super(409, "conflict", message, List.of());
    }

    public ConflictException(String message, List<?> details) {
        super(409, "conflict", message, details);
    }
}
