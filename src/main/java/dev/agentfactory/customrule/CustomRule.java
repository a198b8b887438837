package dev.agentfactory.customrule;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored custom rule of one organization.
 *
 * @param number its number within the organization, never reused: the rule runs as {@code CUS-<number>}
 */
record CustomRule(UUID id, UUID organizationId, int number, RuleDefinition definition, int version,
                  String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {

    static final String ID_PREFIX = "CUS-";

    String ruleId() {
        return ID_PREFIX + number;
    }
}
