package dev.agentfactory.rules;

import dev.agentfactory.web.ApiException;

/** No rule set has ever loaded (the shipped one was broken at start-up): nothing can be decided. */
public class RulesUnavailableException extends ApiException {
    public RulesUnavailableException(Refusal refusal) {
        super(503, "rules_unavailable", "no rule set is loaded"
                + (refusal == null ? "" : ": the last one was refused (" + refusal.reason() + "), see GET /api/rules/status"),
                refusal == null ? java.util.List.of() : refusal.errors());
    }
}
