package dev.agentfactory.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.BadRequestException;
import java.util.Set;

/**
 * What an approver allows beyond the one action: the same action type for this contact
 * ({@code contact}) or for any contact of this agent ({@code agent}), for {@code hours}, at most
 * {@code maxUses} times.
 */
public record GrantTerms(String scope, int hours, int maxUses) {
    private static final Set<String> SCOPES = Set.of("contact", "agent");

    /** The {@code grant} object of an approve vote; each wrong field is a 400 naming it. */
    static GrantTerms of(JsonNode grant) {
        if (!grant.isObject()) {
            throw new BadRequestException("grant", "must be an object: {\"scope\": \"contact\"|\"agent\", \"hours\": n,"
                    + " \"maxUses\": m}");
        }
        String scope = grant.path("scope").asText("");
        if (!SCOPES.contains(scope)) {
            throw new BadRequestException("grant.scope", "must be contact or agent");
        }
        return new GrantTerms(scope, positive(grant, "hours"), positive(grant, "maxUses"));
    }

    private static int positive(JsonNode grant, String field) {
        JsonNode value = grant.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw new BadRequestException("grant." + field, "must be a whole number of at least 1");
        }
        return value.asInt();
    }
}
