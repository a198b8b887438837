package dev.agentfactory.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Template values are data, never code; template edits recompile agents, broken templates are refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateSafetyTest {
    private static final String EVIL_TRIGGER = "x\" ) then System.exit(1); end rule \"pwn\" when EventFact( type != \"";
    private static final String EVIL_ACTION = "SendEmail\" || actionType != \"";
    private static final String EVIL_NAME = "Name \" end then java.lang.Runtime.getRuntime().halt(1); \\u0022 end";
    private static final String EVIL_KEY = "k\") || true || (\"";

    private Path rules;
    private TestServer server;
    private String pm;

    @BeforeAll
    void start() {
        rules = RulesFolder.copyOfShipped();
        server = TestServer.start("templates", c -> c.withRulesDir(rules));
        pm = server.token(server.defaultOrganizationId(), "pete", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void quotes_end_then_and_java_in_values_do_not_change_the_generated_rules() {
        Map<String, Object> blueprint = Blueprints.with(Blueprints.valid(EVIL_NAME), "triggerConfig", "eventTriggers",
                List.of(EVIL_TRIGGER));
        blueprint = Blueprints.with(blueprint, "triggerConfig", "supportedIntents", List.of());
        blueprint = Blueprints.with(blueprint, "triggerConfig", "triggerConditions", Map.of(EVIL_KEY, "v\"; end"));
        blueprint = Blueprints.with(blueprint, "actionConfig", "allowedActionTypes", List.of(EVIL_ACTION));
        String id = Agents.create(server, pm, blueprint);

        JsonNode deployed = Agents.deploy(server, pm, id);
        assertEquals("Active", deployed.get("status").asText());

        String drl = server.get("/api/agents/" + id + "/code", pm).json().get("drl").asText();
        assertEquals(1, count(drl, "rule \"AGT-TRG-"), "exactly one trigger rule:\n" + drl);
        assertEquals(1, count(drl, "rule \"AGT-ACT-"), drl);
        assertEquals(1, count(drl, "rule \"AGT-CND-"), drl);
        assertEquals(1, count(drl, "rule \"AGT-POL-"), drl);
        assertFalse(drl.contains("rule \"pwn\""), drl);

        Map<String, Object> data = Map.of(EVIL_KEY, "v\"; end");
        assertTrue(Agents.activations(server, pm, Map.of("type", EVIL_TRIGGER, "data", data)).containsKey(id),
                "the literal trigger, quotes and all, still matches");
        assertFalse(Agents.activations(server, pm, Map.of("type", "x", "data", data)).containsKey(id),
                "a prefix of the trigger does not");
        assertFalse(Agents.activations(server, pm, Map.of("type", EVIL_TRIGGER, "data", Map.of("k", "v"))).containsKey(id),
                "the condition key is compared as text, not evaluated");
        assertEquals(EVIL_NAME, server.get("/api/agents/" + id, pm).json().get("name").asText());
    }

    @Test
    void a_template_edit_recompiles_live_agents_in_the_background() throws Exception {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Recompiled"));
        Path triggers = rules.resolve("templates/agent-triggers.drt");
        String original = Files.readString(triggers);
        try {
            // the edited template reports every activation as an intent match
            RulesFolder.write(triggers, original.replace("Activation.of(drools, \"@{field}\", $event)",
                    "Activation.of(drools, \"intent\", $event)"));
            awaitReason(id, reason -> reason.startsWith("supported intent"));
            String version = server.get("/api/rules/status", pm).json().at("/templates/version").asText();
            assertEquals(version, server.get("/api/agents/" + id + "/code", pm).json().get("templateVersion").asText());
        } finally {
            RulesFolder.write(triggers, original);
            awaitReason(id, reason -> reason.equals("event trigger lead.created"));
        }
    }

    @Test
    void a_broken_template_is_refused_and_the_agents_keep_serving() throws Exception {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Steady"));
        Path policy = rules.resolve("templates/agent-policy.drt");
        String original = Files.readString(policy);
        String before = server.get("/api/rules/status", pm).json().at("/templates/version").asText();
        try {
            RulesFolder.write(policy, original.replace("when\nthen", "when\n    AgentPolicy( == )\nthen"));
            JsonNode refusal = awaitTemplateRefusal();
            assertEquals("templates", refusal.get("reason").asText());
            assertEquals(before, server.get("/api/rules/status", pm).json().at("/templates/version").asText());
            assertTrue(Agents.activations(server, pm, Map.of("type", "lead.created")).containsKey(id));
            JsonNode redeployed = Agents.deploy(server, pm, id);
            assertEquals("Active", redeployed.get("status").asText(), "deploys keep using the last good templates");
        } finally {
            RulesFolder.write(policy, original);
        }
    }

    @Test
    void a_compile_failure_leaves_the_running_version_serving_and_records_the_attempt() throws Exception {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Survivor v1"));
        Path policy = rules.resolve("templates/agent-policy.drt");
        String original = Files.readString(policy);
        String templatesBefore = templatesVersion();
        try {
            // A template bug that only bites a daily cap above 127 (a Java byte): the probe's cap of 10
            // compiles, a cap of 500 does not.
            RulesFolder.write(policy, original.replace("when\nthen\n", "    dialect \"java\"\nwhen\nthen\n"
                    + "    byte cap = @{maxDailyActions};\n"));
            awaitTemplatesChangedFrom(templatesBefore);
            server.put("/api/agents/" + id, pm, Blueprints.with(Agents.leadAgent("Survivor v2"), "actionConfig",
                    "actionConstraints", Map.of("maxDailyActions", 500)));

            HttpResult failed = server.post("/api/agents/" + id + "/deploy", pm, "");

            assertEquals(422, failed.status(), failed.body());
            assertEquals("deploy_failed", failed.json().at("/error/code").asText());
            assertTrue(failed.json().at("/error/message").asText().contains("keeps serving"));
            assertEquals("templates/agent-policy.drt", failed.json().at("/error/details/0/file").asText());
            assertEquals("Survivor v1", Agents.activations(server, pm, Map.of("type", "lead.created")).get(id)
                    .get("name").asText());
            assertEquals("Active", server.get("/api/agents/" + id, pm).json().get("status").asText());
            assertEquals("Failed", server.get("/api/agents/" + id + "/deployments", pm).json().at("/items/0/outcome").asText());

            String fresh = Agents.create(server, pm, Blueprints.with(Agents.leadAgent("Never ran"), "actionConfig",
                    "actionConstraints", Map.of("maxDailyActions", 500)));
            assertEquals(422, server.post("/api/agents/" + fresh + "/deploy", pm, "").status());
            assertEquals("Failed", server.get("/api/agents/" + fresh, pm).json().get("status").asText(),
                    "Failed only when nothing was running");
        } finally {
            RulesFolder.write(policy, original);
        }
    }

    private void awaitReason(String id, Predicate<String> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            JsonNode activation = Agents.activations(server, pm, Map.of("type", "lead.created")).get(id);
            last = activation == null ? null : activation.get("reason").asText();
            if (last != null && condition.test(last)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the agent never answered as expected; last reason: " + last);
    }

    private JsonNode awaitTemplateRefusal() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            // one bundle, one refusal: the templates' is the bundle's
            JsonNode refusal = server.get("/api/rules/status", pm).json().at("/lastRefusal");
            if (!refusal.isMissingNode() && !refusal.isNull()) {
                return refusal;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the broken template was not refused");
    }

    private String templatesVersion() {
        return server.get("/api/rules/status", pm).json().at("/templates/version").asText();
    }

    private void awaitTemplatesChangedFrom(String before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.get("/api/rules/status", pm).json().at("/templates/version").asText().equals(before)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the template change was not loaded");
    }

    private static int count(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
