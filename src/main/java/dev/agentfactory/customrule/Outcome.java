package dev.agentfactory.customrule;

import dev.agentfactory.rules.model.Severity;

/** The {@code then} of a custom rule. Every outcome only ever adds a restriction. */
sealed interface Outcome {

    /** Actions: a human must approve it, in every override mode. Blueprints: deploying it needs approval. */
    record RequireApproval(String reason) implements Outcome {
    }

    /** Actions only: adds to the risk score the shared rules compute. */
    record Risk(double points, String reason) implements Outcome {
    }

    /** Blueprints only: a finding in the validation report (ERROR makes the blueprint invalid). */
    record Finding(Severity severity, String field, String message) implements Outcome {
    }
}
