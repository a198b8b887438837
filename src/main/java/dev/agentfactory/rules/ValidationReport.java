package dev.agentfactory.rules;

import dev.agentfactory.rules.model.Finding;
import dev.agentfactory.rules.model.RiskLevel;
import java.util.List;

/**
 * The answer of a blueprint validation. Valid means no ERROR finding.
 *
 * @param rulesFired ids of every rule that fired, catalog rules included
 */
public record ValidationReport(boolean valid, String ruleSetVersion, RiskLevel riskLevel, boolean requiresApproval,
                               List<String> approvalReasons, List<Finding> findings, List<String> rulesFired) {
    public ValidationReport {
        approvalReasons = List.copyOf(approvalReasons);
        findings = List.copyOf(findings);
        rulesFired = List.copyOf(rulesFired);
    }
}
