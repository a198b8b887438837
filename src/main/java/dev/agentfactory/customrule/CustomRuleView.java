package dev.agentfactory.customrule;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A custom rule as the API shows it: the definition as its author wrote it, plus what the server
 * owns. {@code ruleId} is the id decisions and validation reports name it by.
 *
 * @param drl the rule as the engine runs it (single-rule reads only), for review
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomRuleView(UUID id, String ruleId, String name, String description, String appliesTo,
                             JsonNode when, JsonNode then, JsonNode examples, int version, String createdBy,
                             Instant createdAt, String updatedBy, Instant updatedAt, String drl) {

    static CustomRuleView of(UUID id, int number, JsonNode definition, int version, String createdBy,
                             Instant createdAt, String updatedBy, Instant updatedAt) {
        return new CustomRuleView(id, CustomRule.ID_PREFIX + number, definition.path("name").asText(null),
                definition.path("description").asText(null), definition.path("appliesTo").asText(null),
                definition.get("when"), definition.get("then"), definition.get("examples"), version, createdBy,
                createdAt, updatedBy, updatedAt, null);
    }

    static CustomRuleView of(CustomRule rule) {
        return of(rule.id(), rule.number(), rule.definition().json(), rule.version(), rule.createdBy(),
                rule.createdAt(), rule.updatedBy(), rule.updatedAt());
    }

    CustomRuleView withDrl(String text) {
        return new CustomRuleView(id, ruleId, name, description, appliesTo, when, then, examples, version, createdBy,
                createdAt, updatedBy, updatedAt, text);
    }

    @JsonIgnore
    public String etag() {
        return "\"" + version + "\"";
    }
}
