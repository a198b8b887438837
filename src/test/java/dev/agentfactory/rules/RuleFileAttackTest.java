package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * A compliance officer's machine is not a way into the server: a rule file or a template that would
 * run code is refused before any of it is compiled, the refusal is shown and audited with file and
 * line, and the rules that were serving keep serving.
 */
class RuleFileAttackTest {
    private Path rules;
    private Path marker;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        rules = RulesFolder.copyOfShipped();
        marker = Files.createTempDirectory("af-attack").resolve("pwned");
        server = TestServer.start("ruleattack", c -> c.withRulesDir(rules));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Drools evaluates rule metadata with MVEL while it builds: this file runs code without ever firing. */
    private String buildTimeAttack() {
        return """
                package attack.probe;
                import dev.agentfactory.rules.model.*;

                rule "ATK-001 runs while it is built"
                    @tier(java.nio.file.Files.createFile(java.nio.file.Paths.get("%s")))
                    @severity("INFO") @description("probe")
                when
                then
                end
                """.formatted(marker);
    }

    @Test
    void without_the_policy_the_attack_would_run_at_build_time() {
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        builder.add(ResourceFactory.newByteArrayResource(buildTimeAttack().getBytes(StandardCharsets.UTF_8)),
                ResourceType.DRL);
        assertTrue(Files.exists(marker), "the control: Drools itself runs the metadata expression");
    }

    @Test
    void a_rule_file_that_would_run_code_is_refused_unbuilt_shown_and_audited() {
        String admin = TestServer.ADMIN_TOKEN;
        String before = server.get("/api/rules/status", admin).json().get("version").asText();

        RulesFolder.write(rules.resolve("blueprint/attack.drl"), buildTimeAttack());
        HttpResult reload = server.post("/api/rules/reload", admin, "{}");

        assertEquals(200, reload.status(), reload.body());
        JsonNode refusal = reload.json().get("refusal");
        assertEquals("REFUSED", reload.json().get("outcome").asText(), reload.body());
        assertEquals("policy", refusal.get("reason").asText());
        assertEquals("blueprint/attack.drl", refusal.at("/errors/0/file").asText());
        assertEquals(5, refusal.at("/errors/0/line").asInt());
        assertTrue(refusal.at("/errors/0/message").asText().contains("'java'"), refusal.toString());
        assertFalse(Files.exists(marker), "nothing of the refused file ran");

        JsonNode status = server.get("/api/rules/status", admin).json();
        assertEquals(before, status.get("version").asText(), "the old rules keep serving");
        assertEquals("policy", status.at("/lastRefusal/reason").asText());
        JsonNode audited = server.get("/api/audit?action=rules.refused", admin).json();
        assertTrue(audited.get("total").asInt() >= 1, audited.toString());
        assertEquals("policy", audited.at("/items/0/after/reason").asText(), audited.toString());
        assertEquals(5, audited.at("/items/0/after/errors/0/line").asInt(), audited.toString());

        HttpResult validation = server.post("/api/validation/agent", admin,
                dev.agentfactory.support.Blueprints.valid("still governed"));
        assertEquals(200, validation.status(), validation.body());
        assertEquals(before, validation.json().get("ruleSetVersion").asText());
        assertFalse(Files.exists(marker));
    }

    @Test
    void a_template_that_would_run_code_is_refused_and_agents_keep_their_templates() throws Exception {
        String admin = TestServer.ADMIN_TOKEN;
        String templatesBefore = server.get("/api/rules/status", admin).json().at("/templates/version").asText();
        Path template = rules.resolve("templates/agent-actions.drt");
        String original = Files.readString(template);
        RulesFolder.write(template, original.replace("// One rule per allowed action type of the blueprint.",
                "// @{java.nio.file.Files.createFile(java.nio.file.Paths.get(\"" + marker + "\"))}"));

        server.post("/api/rules/reload", admin, "{}");

        JsonNode status = server.get("/api/rules/status", admin).json();
        assertEquals(templatesBefore, status.at("/templates/version").asText());
        assertEquals("policy", status.at("/lastRefusal/reason").asText(), status.toString());
        assertEquals("templates/agent-actions.drt", status.at("/lastRefusal/errors/0/file").asText());
        assertFalse(Files.exists(marker), "the template was never filled in");
        JsonNode audited = server.get("/api/audit?action=rules.refused", admin).json();
        assertEquals("templates/agent-actions.drt", audited.at("/items/0/after/errors/0/file").asText(), audited.toString());

        String agent = dev.agentfactory.support.Agents.create(server, admin,
                dev.agentfactory.support.Blueprints.valid("deployed on the old templates"));
        dev.agentfactory.support.Agents.deploy(server, admin, agent);
        JsonNode history = server.get("/api/agents/" + agent + "/deployments?limit=1", admin).json();
        assertEquals(templatesBefore, history.at("/items/0/templateVersion").asText(), history.toString());
        assertFalse(Files.exists(marker));
    }
}
