package dev.agentfactory.template;

/** A template file the library could not read, and why: it is left out until it is fixed. */
public record TemplateProblem(String file, String message) {
}
