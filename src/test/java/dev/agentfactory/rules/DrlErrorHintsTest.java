package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parser errors of the real Drools compiler come back with a plain sentence beside the original message. */
class DrlErrorHintsTest {
    private static final String FILE = "blueprint/security.drl";
    private static final String SENSITIVE = "$type : String( this in (\"ProcessPayment\", \"DeleteContact\", \"UpdateCRM\") )";
    private static final String REAL_WORLD = "BlueprintFact( maxAllowedScope == ActionScope.RealWorld )";

    @Test
    void a_missing_parenthesis_before_from_is_named_with_the_one_left_open() throws IOException {
        RuleError error = onlyError(shipped().replace(SENSITIVE, SENSITIVE.substring(0, SENSITIVE.length() - 2)));

        assertTrue(error.message().contains("mismatched input 'from'"), error.toString());
        assertEquals(34, error.line());
        assertTrue(error.hint().startsWith("a ')' is probably missing before 'from' at line 34"), error.hint());
        assertTrue(error.hint().contains("the '(' at line 34, column 19 is never closed"), error.hint());
    }

    @Test
    void a_missing_parenthesis_at_the_end_of_a_condition_is_found_on_the_line_above() throws IOException {
        RuleError error = onlyError(shipped().replace(REAL_WORLD, REAL_WORLD.substring(0, REAL_WORLD.length() - 2)));

        assertTrue(error.hint().startsWith("a ')' is probably missing before 'then' at line 12"), error.hint());
        assertTrue(error.hint().contains("the '(' at line 11"), error.hint());
    }

    @Test
    void a_surplus_parenthesis_is_named() throws IOException {
        RuleError error = onlyError(shipped().replace(REAL_WORLD, REAL_WORLD + ")"));

        assertEquals("there is one ')' too many at line 11, column 62: it closes nothing", error.hint());
    }

    @Test
    void a_missing_end_or_then_is_named() throws IOException {
        String good = shipped();
        String firstEnd = "needs an admin's approval\"));\nend\n";
        RuleError noEnd = onlyError(good.replace(firstEnd, "needs an admin's approval\"));\n"));
        assertEquals("the rule that starts at line 7 has no 'end' before the next rule at line 17: every rule "
                + "closes with 'end'", noEnd.hint());

        RuleError noThen = onlyError(good.replace(REAL_WORLD + "\nthen", REAL_WORLD));
        assertTrue(noThen.hint().startsWith("'then' is probably missing before 'end'"), noThen.hint());
    }

    @Test
    void a_missing_semicolon_in_the_actions_is_named_and_other_errors_keep_no_hint() throws IOException {
        String good = shipped();
        RuleError semicolon = onlyError(good.replace("\"actionConfig.maxAllowedScope\"));", "\"actionConfig.maxAllowedScope\"))"));
        assertTrue(semicolon.hint().contains("a ';' is probably missing"), semicolon.hint());

        RuleError policy = onlyError(good.replace("BlueprintFact( maxAllowedScope ==", "BlueprintFakt( maxAllowedScope =="));
        assertNull(policy.hint(), "the policy check's own message is plain already");
    }

    private static RuleError onlyError(String drl) {
        RuleCompiler.Compilation result = RuleCompiler.compile(RuleSource.of(Map.of(FILE, drl), Map.of()));
        RuleCompiler.Failed failed = assertInstanceOf(RuleCompiler.Failed.class, result);
        assertEquals(1, failed.errors().size(), failed.errors().toString());
        return failed.errors().get(0);
    }

    private static String shipped() throws IOException {
        return Files.readString(Path.of("rules", FILE));
    }
}
