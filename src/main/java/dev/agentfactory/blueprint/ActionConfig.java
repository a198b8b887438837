package dev.agentfactory.blueprint;

import java.time.Duration;
import java.util.List;

/**
 * What an agent may do and who decides when it asks. Defaults are the seed's.
 *
 * @param callbackUrl where the server POSTs approval outcomes (its host must be on AF_CALLBACK_HOSTS)
 */
public record ActionConfig(List<String> allowedActionTypes, ActionScope maxAllowedScope, OverrideMode overrideMode,
                           Double riskThreshold, Integer requiredApprovals, String approvalTimeout,
                           ActionConstraints actionConstraints, String callbackUrl) {
    public static final String DEFAULT_APPROVAL_TIMEOUT = "PT24H";

    public ActionConfig {
        allowedActionTypes = Copies.list(allowedActionTypes);
        maxAllowedScope = maxAllowedScope == null ? ActionScope.Hybrid : maxAllowedScope;
        overrideMode = overrideMode == null ? OverrideMode.RiskBased : overrideMode;
        riskThreshold = riskThreshold == null ? 0.7 : riskThreshold;
        requiredApprovals = requiredApprovals == null ? 1 : requiredApprovals;
        approvalTimeout = approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT : approvalTimeout;
        actionConstraints = actionConstraints == null ? ActionConstraints.none() : actionConstraints;
    }

    /** How long a human has to decide; the default when approvalTimeout does not parse (validation flags that). */
    public long approvalTimeoutSeconds() {
        return Durations.parse(approvalTimeout).or(() -> Durations.parse(DEFAULT_APPROVAL_TIMEOUT))
                .map(Duration::toSeconds).orElseThrow();
    }

    static ActionConfig defaults() {
        return new ActionConfig(null, null, null, null, null, null, null, null);
    }
}
