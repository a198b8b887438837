package dev.agentfactory.rules.model;

/** What happens to a proposed action, least strict first: when rules disagree, the strictest wins. */
public enum Decision {
    EXECUTE, REQUIRE_APPROVAL, REJECT
}
