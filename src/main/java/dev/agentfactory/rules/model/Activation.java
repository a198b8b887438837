package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact: the agent is activated by the event, and why. */
public record Activation(String ruleId, String reason) {
    /**
     * The reason is built from the event itself, so generated rules never carry blueprint text in
     * their consequences.
     *
     * @param field {@code type} (an event trigger matched) or {@code intent} (a supported intent matched)
     */
    public static Activation of(RuleContext drools, String field, EventFact event) {
        String reason = field.equals("intent") ? "supported intent " + event.intent() : "event trigger " + event.type();
        return new Activation(RuleMetadata.id(drools.getRule().getName()), reason);
    }
}
