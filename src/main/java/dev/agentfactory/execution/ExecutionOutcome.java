package dev.agentfactory.execution;

import java.util.Locale;

/** What an execution report found. Anything but MATCH is a violation, kept and shown on the agent's monitoring. */
public enum ExecutionOutcome {
    /** the cleared arguments, executed for the first time, in time */
    MATCH,
    /** other arguments than the ones cleared */
    MISMATCH,
    /** the action was executed already: a clearance is good for one execution */
    REPEAT,
    /** the approval ran out before the execution was reported */
    EXPIRED,
    /** the action was never cleared: pending, rejected or expired before anyone approved it */
    NOT_CLEARED;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean violation() {
        return this != MATCH;
    }
}
