package dev.agentfactory.rules.model;

import java.util.Map;
import org.kie.api.runtime.rule.RuleContext;

/**
 * What rule consequences call to build result facts. Each reads the firing rule's id (the first
 * word of its name) and metadata, so a rule states its severity and tier once, in its header:
 * <pre>
 *   insert(Results.finding(drools, "the goal is blank", "goal"));
 * </pre>
 */
public final class Results {
    private Results() {
    }

    public static Finding finding(RuleContext drools, String message, String field) {
        Map<String, Object> meta = drools.getRule().getMetaData();
        return new Finding(RuleMetadata.id(drools.getRule().getName()), RuleMetadata.tier(meta),
                RuleMetadata.severity(meta), RuleMetadata.category(drools.getRule().getPackageName(), meta),
                message, field);
    }

    public static ApprovalNeed approvalNeeded(RuleContext drools, String reason) {
        return new ApprovalNeed(RuleMetadata.id(drools.getRule().getName()), reason);
    }

    public static RiskSignal risk(RuleContext drools, RiskLevel level, String reason) {
        return new RiskSignal(RuleMetadata.id(drools.getRule().getName()), level, reason);
    }
}
