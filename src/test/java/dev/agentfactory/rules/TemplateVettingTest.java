package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.web.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A template set's policy check is remembered, so agents compiled from the same templates are not
 * checked again. It was remembered by version, 16 hex digits of a hash: a template made to collide
 * with a vetted version (about 2^32 tries) was filled in, its MVEL tags run, without a check.
 */
class TemplateVettingTest {
    @Test
    void a_template_set_under_a_vetted_version_is_checked_for_what_it_says() throws Exception {
        TemplateSet vetted = TemplateSet.read(Path.of("rules"));
        assertEquals(List.of(), vetted.policyViolations());
        Path marker = Files.createTempDirectory("af-vetting").resolve("pwned");
        Map<String, String> texts = new LinkedHashMap<>(vetted.texts());
        texts.put("agent-actions.drt", texts.get("agent-actions.drt").replace("@{highRisk}));",
                "@{highRisk})); insert(\"${java.nio.file.Files.createFile(java.nio.file.Path.of('" + marker + "'))}\");"));
        assertTrue(texts.get("agent-actions.drt").contains("${"), "the shipped template changed: adapt this test");

        TemplateSet colliding = new TemplateSet(texts, vetted.version(), Instant.now());

        assertFalse(colliding.policyViolations().isEmpty(), "the colliding set is checked for its own text");
        BlueprintSpec spec = Json.read("""
                {"name": "n", "actionConfig": {"allowedActionTypes": ["SendEmail"]}}""", BlueprintSpec.class);
        AgentCompileException refused = assertThrows(AgentCompileException.class,
                () -> AgentCompiler.generate(colliding, UUID.randomUUID(), 1, spec));
        assertEquals("policy", refused.reason());
        assertFalse(Files.exists(marker), "the template was never filled in");
    }
}
