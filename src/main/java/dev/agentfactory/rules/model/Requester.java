package dev.agentfactory.rules.model;

/** Fact: who asks for the validation (or deployment). Some rules are stricter for non-admins. */
public record Requester(String principal, boolean admin) {
}
