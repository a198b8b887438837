package dev.agentfactory.blueprint;

/** Where a blueprint is in its life: DESIGN section 1. */
public enum BlueprintStatus {
    Draft, Validating, ValidationFailed, ReadyForDeployment, Deploying, Active, Paused, Deprecated, Failed
}
