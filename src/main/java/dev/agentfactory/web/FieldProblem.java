package dev.agentfactory.web;

/** One thing wrong with one field of a request: the {@code details} entries of a 400. */
public record FieldProblem(String field, String problem) {
}
