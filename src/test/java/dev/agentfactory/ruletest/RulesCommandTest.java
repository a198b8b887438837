package dev.agentfactory.ruletest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.Main;
import dev.agentfactory.support.RulesFolder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code agent-factory rules check|test}: exit codes and file:line output, as compliance officers use them. */
class RulesCommandTest {

    record Run(int exitCode, String output) {
    }

    private static Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void the_shipped_rules_check_and_test_clean() {
        Run check = run("rules", "check", "rules");
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().startsWith("OK "), check.output());

        Run test = run("rules", "test", "rules");
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("PASS tests/security.json:"), test.output());
        assertTrue(test.output().contains(" 0 failed"), test.output());
    }

    @Test
    void a_syntax_error_is_reported_as_file_and_line_with_exit_1() throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        Path business = rules.resolve("blueprint/business.drl");
        Files.writeString(business, Files.readString(business).replace("BlueprintFact( eventTriggers.size() > 20,",
                "BlueprintFact( eventTriggers.size() > > 20,"));

        Run check = run("rules", "check", rules.toString());

        assertEquals(1, check.exitCode(), check.output());
        assertTrue(check.output().matches("(?s)blueprint/business\\.drl:\\d+: .*"), check.output());
        assertEquals(1, run("rules", "test", rules.toString()).exitCode());
    }

    @Test
    void a_rule_that_breaks_the_policy_is_reported_like_a_syntax_error_and_never_runs() throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        Path marker = rules.resolve("pwned");
        Path business = rules.resolve("blueprint/business.drl");
        Files.writeString(business, Files.readString(business).replace("@tier(3) @severity(\"WARNING\")",
                "@tier(java.nio.file.Files.createFile(java.nio.file.Paths.get(\"" + marker + "\"))) @severity(\"WARNING\")"));
        Path template = rules.resolve("templates/agent-context.drt");
        Files.writeString(template, Files.readString(template).replace("// One rule per context type",
                "// @{java.lang.System.exit(3)} One rule per context type"));

        Run check = run("rules", "check", rules.toString());

        assertEquals(1, check.exitCode(), check.output());
        assertTrue(check.output().contains("templates/agent-context.drt:"), check.output());
        assertTrue(check.output().matches("(?s).*blueprint/business\\.drl:\\d+: 'java' is not allowed.*"), check.output());
        assertEquals(1, run("rules", "test", rules.toString()).exitCode());
        assertTrue(Files.notExists(marker), "nothing of a refused file runs, in check or test");
    }

    @Test
    void a_failing_case_prints_fail_with_its_line_and_exit_1() throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        Path risk = rules.resolve("tests/risk.json");
        Files.writeString(risk, Files.readString(risk).replace("\"riskLevel\": \"Medium\", \"fired\": [\"BP-RISK-002\"]",
                "\"riskLevel\": \"Low\", \"fired\": [\"BP-RISK-002\"]"));

        Run test = run("rules", "test", rules.toString());

        assertEquals(1, test.exitCode(), test.output());
        assertTrue(test.output().contains("FAIL tests/risk.json:19  BP-RISK-002"), test.output());
        assertTrue(test.output().contains("expected riskLevel Low but was Medium"), test.output());
    }

    @Test
    void a_rules_folder_named_rules_is_not_mistaken_for_the_subcommand() {
        CommandLine commandLine = Main.commandLine();
        commandLine.parseArgs("--rules-dir", "rules", "--port", "9999");
        Main main = commandLine.getCommand();
        assertTrue(main.config().rulesDir().endsWith("rules"));
        assertEquals(9999, main.config().port());
    }

    @Test
    void a_missing_folder_is_exit_1() {
        assertEquals(1, run("rules", "check", "/nonexistent/rules").exitCode());
    }
}
