package dev.agentfactory.web;

import java.util.List;

public class NotFoundException extends ApiException {
    public NotFoundException(String what) {
        super(404, "not_found", what + " not found", List.of());
    }
}
