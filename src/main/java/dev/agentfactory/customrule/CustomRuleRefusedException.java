package dev.agentfactory.customrule;

import dev.agentfactory.web.ApiException;
import java.util.List;

/** A change whose candidate set did not pass the organization's rule tests: nothing was stored. */
final class CustomRuleRefusedException extends ApiException {
    CustomRuleRefusedException(String message, List<?> details) {
        super(422, "custom_rule_refused", message, details);
    }
}
