package dev.agentfactory.blueprint;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a blueprint is in its life (docs/data-model.md), and the only place that says which moves
 * are allowed: every status change goes through {@link #transition}.
 */
public enum BlueprintStatus {
    Draft, Validating, ValidationFailed, ReadyForDeployment, Deploying, Active, Paused, Deprecated, Failed;

    /**
     * The moves out of this status. Staying where it is is always allowed (a second validation, a
     * hot redeploy, an edit of a draft) and is no change.
     */
    private Set<BlueprintStatus> next() {
        return switch (this) {
            // not deployed: edit (Draft), validate, a deploy that validates first, delete
            case Draft, ValidationFailed, ReadyForDeployment, Failed ->
                    EnumSet.of(Draft, Validating, ValidationFailed, Deploying, Deprecated);
            case Validating -> EnumSet.of(Draft, ReadyForDeployment, ValidationFailed, Deploying, Deprecated);
            // Paused: an emergency stop while the first deployment compiles; it goes live paused
            case Deploying -> EnumSet.of(Active, Paused, Failed);
            // ReadyForDeployment: undeployed
            case Active -> EnumSet.of(Paused, ReadyForDeployment);
            // Failed: paused while its first deployment compiled, and that deployment failed
            case Paused -> EnumSet.of(Active, ReadyForDeployment, Failed);
            case Deprecated -> EnumSet.noneOf(BlueprintStatus.class);
        };
    }

    public boolean canMoveTo(BlueprintStatus to) {
        return to == this || next().contains(to);
    }

    /** {@code to}, when this status may move there; otherwise a 409 and nothing changes. */
    public BlueprintStatus transition(BlueprintStatus to) {
        if (!canMoveTo(to)) {
            throw new IllegalTransitionException(this, to);
        }
        return to;
    }

    /** A deployed version serves (Active) or waits, compiled (Paused). */
    public boolean running() {
        return this == Active || this == Paused;
    }

    /**
     * The status after the content changed: a new version nobody validated is a Draft again, while
     * a deployed agent keeps serving the version it was deployed with.
     */
    public BlueprintStatus afterEdit() {
        return canMoveTo(Draft) ? transition(Draft) : this;
    }
}
