package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.rules.model.Finding;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.drools.template.ObjectDataCompiler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieSession;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * Ways around the rule policy found by the red team: places where the check read a string, a comment
 * or a harmless name and Drools, Java or drools-templates read code. Each attack is shown to run on
 * plain Drools (the control), then refused by the server before any of it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuleFileBypassTest {
    private Path rules;
    private Path dir;
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        rules = RulesFolder.copyOfShipped();
        dir = Files.createTempDirectory("af-bypass");
        server = TestServer.start("rulebypass", c -> c.withRulesDir(rules));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A rule file whose rules are {@code rules}, in package {@code pkg}. */
    private static String file(String pkg, String rules) {
        return "package " + pkg + ";\nimport dev.agentfactory.rules.model.*;\n\n" + rules;
    }

    private static String rule(String id, String when, String then) {
        return """
                rule "%s a bypass"
                    @tier(1) @severity("INFO") @description("probe")
                when
                    %s
                then
                    %s
                end
                """.formatted(id, when, then);
    }

    /** The control: plain Drools compiles the file and fires it on one action. */
    private static List<Object> fireWithoutThePolicy(String drl) {
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        builder.add(ResourceFactory.newByteArrayResource(drl.getBytes(StandardCharsets.UTF_8)), ResourceType.DRL);
        assertFalse(builder.hasErrors(), builder.getErrors().toString());
        KieSession session = builder.newKieBase().newKieSession();
        try {
            session.insert(new ProposedAction("SendEmail", 0.9, "c-1", List.of(), null, Map.of(), Map.of(), null));
            session.fireAllRules();
            return List.copyOf(session.getObjects());
        } finally {
            session.dispose();
        }
    }

    /** Puts the file into the rules folder, reloads, and returns the refusal; the file is gone afterwards. */
    private JsonNode refusalOf(String path, String drl) {
        Path target = rules.resolve(path);
        RulesFolder.write(target, drl);
        try {
            HttpResult reload = server.post("/api/rules/reload", TestServer.ADMIN_TOKEN, "{}");
            assertEquals(200, reload.status(), reload.body());
            assertEquals("REFUSED", reload.json().get("outcome").asText(), reload.body());
            return reload.json().get("refusal");
        } finally {
            uncheckedDelete(target);
        }
    }

    @Test
    void a_single_quoted_string_with_a_double_quote_inside_is_refused() {
        Path marker = dir.resolve("quotes");
        // Drools' lexer turns '...' into "..." without escaping: the check saw one string, Java saw code
        String drl = file("attack.quotes", rule("ATK-101", "ProposedAction()",
                "String why = '\" + java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker
                        + "\"), \"x\") + \"';"));

        fireWithoutThePolicy(drl);
        assertTrue(Files.exists(marker), "the control: the consequence writes the file");
        uncheckedDelete(marker);

        JsonNode refusal = refusalOf("actions/quotes.drl", drl);
        assertEquals("policy", refusal.get("reason").asText(), refusal.toString());
        assertEquals(9, refusal.at("/errors/0/line").asInt(), refusal.toString());
        assertTrue(refusal.at("/errors/0/message").asText().contains("single-quoted"), refusal.toString());
        assertFalse(Files.exists(marker), "nothing of the refused file ran");
    }

    @Test
    void a_name_declared_as_a_local_in_one_rule_does_not_pass_as_a_package_or_method_in_another() {
        String property = "af.redteam.locals." + System.nanoTime();
        // the check used to accept every name ever declared as a local anywhere in the file, everywhere
        String drl = file("attack.locals", rule("ATK-102", "ProposedAction(actionType == \"never\")",
                "String java = \"\"; String lang = \"\"; String setProperty = \"\";")
                + rule("ATK-103", "ProposedAction()", "java.lang.System.setProperty(\"" + property + "\", \"ran\");"));

        fireWithoutThePolicy(drl);
        assertEquals("ran", System.getProperty(property), "the control: the second rule reaches java.lang.System");
        System.clearProperty(property);

        JsonNode refusal = refusalOf("actions/locals.drl", drl);
        assertEquals("policy", refusal.get("reason").asText(), refusal.toString());
        assertEquals(16, refusal.at("/errors/0/line").asInt(), refusal.toString());
        assertTrue(refusal.at("/errors/0/message").asText().contains("'java'"), refusal.toString());
        assertNull(System.getProperty(property));
    }

    @Test
    void a_rule_file_in_a_package_of_the_server_cannot_reach_its_classes_by_their_simple_names() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "s3cret");
        // Jdbi ships ANTLR under names starting with '$', which the check took for rule variables
        String drl = file("org.jdbi.v3.core.inlined.org.antlr.v4.runtime", rule("ATK-104", "ProposedAction()",
                "insert(new Finding(\"ATK-104\", 1, Severity.INFO, \"x\", new $ANTLRFileStream(\"" + secret
                        + "\").toString(), \"goal\"));"));

        List<Object> facts = fireWithoutThePolicy(drl);
        assertTrue(facts.stream().anyMatch(f -> f instanceof Finding finding && finding.message().equals("s3cret")),
                "the control: the rule reads the file into a finding: " + facts);

        JsonNode refusal = refusalOf("blueprint/shadow.drl", drl);
        assertEquals("policy", refusal.get("reason").asText(), refusal.toString());
        assertEquals(9, refusal.at("/errors/0/line").asInt(), refusal.toString());
        assertTrue(refusal.at("/errors/0/message").asText().contains("$ANTLRFileStream"), refusal.toString());
        HttpResult validation = server.post("/api/validation/agent", TestServer.ADMIN_TOKEN,
                dev.agentfactory.support.Blueprints.valid("still governed"));
        assertFalse(validation.body().contains("s3cret"), validation.body());
    }

    private static final String ACTIONS_TEMPLATE = "templates/agent-actions.drt";
    private static final String CONSEQUENCE = "    insert(new PermittedAction($action.actionType(), @{highRisk}));";

    /** The shipped actions template with its consequence replaced. */
    private String actionsTemplate(String consequence) throws Exception {
        String shipped = Files.readString(rules.resolve(ACTIONS_TEMPLATE));
        assertTrue(shipped.contains(CONSEQUENCE), "the shipped template changed: adapt this test");
        return shipped.replace(CONSEQUENCE, consequence);
    }

    /** Writes the template, reloads, and returns the rules' status; the shipped template is back afterwards. */
    private JsonNode statusAfterReloading(String template) throws Exception {
        Path path = rules.resolve(ACTIONS_TEMPLATE);
        String shipped = Files.readString(path);
        RulesFolder.write(path, template);
        try {
            server.post("/api/rules/reload", TestServer.ADMIN_TOKEN, "{}");
            return server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json();
        } finally {
            RulesFolder.write(path, shipped);
        }
    }

    private static String fill(String template) {
        return new ObjectDataCompiler().compile(List.of(Map.of("actionType", "\"SendEmail\"", "highRisk", false)),
                new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_dollar_tag_in_a_template_is_refused_before_the_template_is_filled_in() throws Exception {
        Path marker = dir.resolve("dollar");
        // MVEL runs ${...} like @{...}; the check only looked for @. Single quotes are MVEL strings here.
        String template = actionsTemplate("    insert(new PermittedAction(\"${java.nio.file.Files.writeString("
                + "java.nio.file.Path.of('" + marker + "'), 'x')}\", @{highRisk}));");

        fill(template);
        assertTrue(Files.exists(marker), "the control: filling the template in writes the file");
        uncheckedDelete(marker);

        String before = server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().at("/templates/version").asText();
        JsonNode status = statusAfterReloading(template);
        assertEquals(before, status.at("/templates/version").asText(), "the old templates keep serving");
        assertEquals("policy", status.at("/lastRefusal/reason").asText(), status.toString());
        assertTrue(status.at("/lastRefusal/errors/0/message").asText().contains("${"), status.toString());
        assertFalse(Files.exists(marker), "the template was never filled in");
    }

    @Test
    void a_comment_marker_inside_a_template_string_does_not_turn_the_string_into_code() throws Exception {
        Path marker = dir.resolve("comment");
        String path = marker.toString().chars().mapToObj(Integer::toString).collect(Collectors.joining(","));
        // drools-templates cuts /*...*/ out of a line before it fills the line in, strings or not:
        // "/*"*/" + CODE + "" was one string and a comment to the check; Drools gets "" + CODE + ""
        String code = "java.nio.file.Files.createFile(java.nio.file.Path.of(new String(new char[] {" + path + "}))"
                + ").toString()";
        String template = actionsTemplate("    insert(new PermittedAction(\"/*\"*/\" + " + code
                + " + \"\", @{highRisk})); // \"").replace("dialect \"mvel\"", "dialect \"java\"");

        fireWithoutThePolicy(fill(template));
        assertTrue(Files.exists(marker), "the control: the generated rule creates the file");
        uncheckedDelete(marker);

        String before = server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().at("/templates/version").asText();
        JsonNode status = statusAfterReloading(template);
        assertEquals(before, status.at("/templates/version").asText(), "the old templates keep serving");
        assertEquals("policy", status.at("/lastRefusal/reason").asText(), status.toString());
        assertTrue(status.at("/lastRefusal/errors/0/file").asText().contains("as generated"), status.toString());
        assertTrue(status.at("/lastRefusal/errors/0/message").asText().contains("'java'"), status.toString());
        assertFalse(Files.exists(marker), "the generated rules were never compiled");
    }

    private static void uncheckedDelete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
