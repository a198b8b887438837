package dev.agentfactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Cli;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} and {@code decide}: the shipped examples against the shipped rules, no server, no database. */
class OfflineCommandsTest {
    private static final String LEAD = "examples/lead-follow-up.json";
    private static final String CROSS_ORG = "examples/cross-org.json";

    @TempDir
    Path temp;

    @Test
    void validate_prints_findings_per_tier_and_exits_0_when_valid() {
        Cli.Run run = Cli.run("validate", LEAD, "--rules-dir", "rules");

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.output().contains("rules " + Path.of("rules").toAbsolutePath()), run.toString());
        assertTrue(run.output().contains("tier 3:"), run.toString());
        assertTrue(run.output().contains("WARNING BP-BUS-003 SendEmail is RealWorld, above maxAllowedScope Hybrid"),
                run.toString());
        assertTrue(run.output().trim().endsWith("VALID"), run.toString());
    }

    @Test
    void validate_exits_1_on_an_error_finding_and_admin_lifts_the_author_rule() {
        Cli.Run run = Cli.run("validate", CROSS_ORG);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.output().contains("ERROR   BP-SEC-002"), run.toString());
        assertTrue(run.output().contains("INVALID"), run.toString());

        assertEquals(0, Cli.run("validate", CROSS_ORG, "--admin").exitCode());

        Cli.Run json = Cli.run("validate", CROSS_ORG, "--json");
        assertEquals(1, json.exitCode());
        JsonNode report = Json.read(json.output(), JsonNode.class);
        assertEquals(false, report.get("valid").asBoolean());
        List<String> errors = new java.util.ArrayList<>();
        report.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals("ERROR")) {
                errors.add(f.get("ruleId").asText());
            }
        });
        assertEquals(List.of("BP-SEC-002"), errors, json.output());
    }

    @Test
    void bad_input_exits_2_naming_the_file_and_field() throws IOException {
        Path malformed = write("malformed.json", "{\"name\": ");
        Cli.Run run = Cli.run("validate", malformed.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.output().contains(malformed + ": malformed JSON at line 1"), run.toString());

        Path unknown = write("unknown.json", "{\"name\": \"x\", \"actionConfig\": {\"riskTreshold\": 0.5}}");
        run = Cli.run("validate", unknown.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.output().contains("actionConfig.riskTreshold: unknown field"), run.toString());

        Path range = write("range.json", "{\"name\": \"x\", \"actionConfig\": {\"riskThreshold\": 5}}");
        run = Cli.run("validate", range.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.output().contains("actionConfig.riskThreshold"), run.toString());

        assertEquals(2, Cli.run("validate", temp.resolve("missing.json").toString()).exitCode());

        Path badAction = write("action.json", "{\"actionType\": \"SendEmail\"}");
        run = Cli.run("decide", LEAD, badAction.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.output().contains("confidence is required"), run.toString());
    }

    @Test
    void a_rules_folder_the_server_would_refuse_is_bad_input() throws IOException {
        Path rules = RulesFolder.copyOfShipped();
        Path security = rules.resolve("blueprint/security.drl");
        Files.writeString(security, Files.readString(security).replace("when\n    BlueprintFact( maxAllowedScope ==",
                "when\n    BlueprintFact( maxAllowedScope =="  + "(("));

        Cli.Run run = Cli.run("validate", LEAD, "--rules-dir", rules.toString());

        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.output().contains("would be refused"), run.toString());
        assertTrue(run.output().contains("blueprint/security.drl"), run.toString());
    }

    @Test
    void decide_prints_the_decision_reasons_and_rules_fired() {
        Cli.Run execute = Cli.run("decide", LEAD, "examples/actions/recommend.json");
        assertEquals(0, execute.exitCode(), execute.toString());
        assertTrue(execute.output().contains("GenerateRecommendation (InnerWorld): EXECUTE"), execute.toString());
        assertTrue(execute.output().contains("  rules fired: "), execute.toString());

        Cli.Run approval = Cli.run("decide", LEAD, "examples/actions/send-email.json", "--json");
        assertEquals(0, approval.exitCode(), approval.toString());
        JsonNode decision = Json.read(approval.output(), JsonNode.class).at("/decisions/0");
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), approval.output());
        assertEquals("RealWorld", decision.get("scope").asText());
        assertTrue(decision.get("reasons").size() > 0 && decision.get("rulesFired").size() > 0, approval.output());

        Cli.Run invalid = Cli.run("decide", CROSS_ORG, "examples/actions/recommend.json");
        assertEquals(1, invalid.exitCode(), invalid.toString());
        assertTrue(invalid.output().contains("INVALID: the blueprint would not deploy"), invalid.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
