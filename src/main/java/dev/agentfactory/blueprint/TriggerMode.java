package dev.agentfactory.blueprint;

/** How an agent is set off. */
public enum TriggerMode {
    Reactive, Proactive, Assistive, Autonomous
}
