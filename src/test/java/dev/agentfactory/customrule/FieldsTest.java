package dev.agentfactory.customrule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.model.BlueprintFact;
import dev.agentfactory.rules.model.CustomTarget;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.web.Json;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The allow-lists and the subjects that answer them cannot drift apart. */
class FieldsTest {
    private static final BlueprintSpec SPEC = Json.read("""
            {"name": "n", "description": "d", "goal": "g", "industrySpecificConfig": {"region": "north"},
             "actionConfig": {"allowedActionTypes": ["SendEmail"]}, "promptConfig": {"promptTemplateId": "t"}}
            """, BlueprintSpec.class);

    @Test
    void every_allowed_field_has_a_value_of_its_kind() {
        ProposedAction action = new ProposedAction("SendEmail", 0.9, "c-1", List.of("ContactProfile"), null,
                Map.of("amount", 5), Map.of("requireApproval", true), "why");
        Subject actionSubject = new ActionSubject(action, ActionScope.RealWorld, 0.5, UUID.randomUUID(), SPEC);
        Subject blueprintSubject = new BlueprintSubject(BlueprintFact.of(SPEC));
        check(CustomTarget.ACTION, actionSubject);
        check(CustomTarget.BLUEPRINT, blueprintSubject);
    }

    private static void check(CustomTarget target, Subject subject) {
        for (String name : Fields.names(target)) {
            String field = name.endsWith(".") ? name + "some-key" : name;
            Fields.Type type = Fields.lookup(target, field).orElseThrow();
            Object value = subject.value(field);
            boolean fits = switch (type.kind()) {
                case TEXT -> value instanceof String;
                case NUMBER -> value instanceof Number;
                case BOOLEAN -> value instanceof Boolean;
                case ENUM -> value == null || (value instanceof Enum<?> e && type.values().contains(e.name()));
                case TEXT_LIST -> value instanceof Collection<?>;
                case ANY -> true;
            };
            assertTrue(fits, target + " field " + field + " is " + type.kind() + " but holds " + value);
        }
    }
}
