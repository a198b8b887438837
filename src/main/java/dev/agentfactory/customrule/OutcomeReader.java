package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.rules.model.CustomTarget;
import dev.agentfactory.rules.model.Severity;
import java.util.Set;

/** Reads a custom rule's {@code then}: exactly one outcome, and one its target can have. */
final class OutcomeReader {
    static final int MAX_REASON = 500;
    static final int MAX_FINDING_FIELD = 200;

    private final Problems problems;

    OutcomeReader(Problems problems) {
        this.problems = problems;
    }

    Outcome read(JsonNode node, CustomTarget target) {
        String shapes = "{\"requireApproval\": \"why\"}, {\"risk\": 0.3, \"reason\": \"why\"} (actions) or "
                + "{\"finding\": {\"severity\", \"field\", \"message\"}} (blueprints)";
        if (node == null || !node.isObject()) {
            problems.add("then", "must be one outcome: " + shapes);
            return null;
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!Set.of("requireApproval", "risk", "reason", "finding").contains(key)) {
                problems.add("then." + key, "unknown field; allowed: requireApproval, risk and reason, finding");
            }
        });
        int outcomes = (node.has("requireApproval") ? 1 : 0) + (node.has("risk") ? 1 : 0) + (node.has("finding") ? 1 : 0);
        if (outcomes != 1) {
            problems.add("then", "must be exactly one outcome: " + shapes);
            return null;
        }
        if (node.has("reason") && !node.has("risk")) {
            problems.add("then.reason", "goes with risk only");
        }
        if (node.has("requireApproval")) {
            String reason = problems.text(node, "requireApproval", "then.requireApproval", true, MAX_REASON);
            return new Outcome.RequireApproval(reason);
        }
        if (node.has("risk")) {
            if (target != CustomTarget.ACTION) {
                problems.add("then.risk",
                        "risk applies to action rules; a blueprint rule gives a finding or requireApproval");
                return null;
            }
            JsonNode risk = node.get("risk");
            if (!risk.isNumber() || !(risk.doubleValue() > 0 && risk.doubleValue() <= 1)) {
                problems.add("then.risk", "must be a number above 0 and at most 1");
            }
            String reason = problems.text(node, "reason", "then.reason", true, MAX_REASON);
            return new Outcome.Risk(risk.doubleValue(), reason);
        }
        if (target != CustomTarget.BLUEPRINT) {
            problems.add("then.finding", "findings apply to blueprint rules; an action rule gives requireApproval or risk");
            return null;
        }
        JsonNode finding = node.get("finding");
        if (!finding.isObject()) {
            problems.add("then.finding",
                    "must be an object: {\"severity\": \"ERROR|WARNING|INFO\", \"field\", \"message\"}");
            return null;
        }
        finding.fieldNames().forEachRemaining(key -> {
            if (!Set.of("severity", "field", "message").contains(key)) {
                problems.add("then.finding." + key, "unknown field; allowed: severity, field, message");
            }
        });
        String severity = problems.text(finding, "severity", "then.finding.severity", true, 10);
        Severity parsed = null;
        if (severity != null) {
            try {
                parsed = Severity.valueOf(severity);
            } catch (IllegalArgumentException e) {
                problems.add("then.finding.severity",
                        "'" + severity + "' is not allowed; allowed values: ERROR, WARNING, INFO");
            }
        }
        String field = problems.text(finding, "field", "then.finding.field", false, MAX_FINDING_FIELD);
        String message = problems.text(finding, "message", "then.finding.message", true, MAX_REASON);
        return new Outcome.Finding(parsed, field, message);
    }
}
