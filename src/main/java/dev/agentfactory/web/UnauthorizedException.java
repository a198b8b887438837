package dev.agentfactory.web;

import java.util.List;

public class UnauthorizedException extends ApiException {
    public UnauthorizedException(String message) {
        super(401, "unauthorized", message, List.of());
    }
}
