package dev.agentfactory.web;

import java.util.List;

public class BadRequestException extends ApiException {
    public BadRequestException(String message, List<FieldProblem> problems) {
        super(400, "bad_request", message, problems);
    }

    public BadRequestException(String field, String problem) {
        this("invalid " + field + ": " + problem, List.of(new FieldProblem(field, problem)));
    }
}
