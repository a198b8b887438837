package dev.agentfactory.blueprint;

/** How much context an agent may read, narrowest first. */
public enum AccessLevel {
    ContactOnly, Organization, CrossOrg, System
}
