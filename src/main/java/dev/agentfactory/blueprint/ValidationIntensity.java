package dev.agentfactory.blueprint;

/** How hard the validation tiers look. */
public enum ValidationIntensity {
    Minimal, Standard, Strict, Custom
}
