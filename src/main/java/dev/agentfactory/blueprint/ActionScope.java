package dev.agentfactory.blueprint;

/** How far an action reaches, narrowest first: agent-to-agent, internal but driving external effects, external effect. */
public enum ActionScope {
    InnerWorld, Hybrid, RealWorld
}
