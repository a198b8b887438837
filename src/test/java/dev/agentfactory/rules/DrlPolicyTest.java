package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The rule policy: the shipped rules pass it unchanged, and every way we know to smuggle code into a
 * rule file is refused with its line, before anything is compiled.
 */
class DrlPolicyTest {
    private static final String HEAD = """
            package attack.probe;
            import dev.agentfactory.rules.model.*;

            """;

    /** A rule whose condition or consequence is {@code body} (on line 7 of the file). */
    private static String rule(String when, String then) {
        return HEAD + """
                rule "ATK-001 an attack"
                    @tier(1) @severity("INFO") @description("probe")
                when
                    %s
                then
                    %s
                end
                """.formatted(when, then);
    }

    private record Attack(String name, String drl, int line, String says) {
    }

    static List<Attack> attacks() {
        return List.of(
                new Attack("writes a file", rule("ProposedAction()",
                        "java.nio.file.Files.writeString(java.nio.file.Path.of(\"/tmp/af-pwned\"), \"x\");"), 9, "'java'"),
                new Attack("execs a process", rule("ProposedAction()",
                        "Runtime.getRuntime().exec(new String[] {\"touch\", \"/tmp/af-pwned\"});"), 9, "'Runtime'"),
                new Attack("starts a process builder", rule("ProposedAction()",
                        "new ProcessBuilder(\"id\").start();"), 9, "'ProcessBuilder'"),
                new Attack("reads the environment", rule("ProposedAction()",
                        "insert(new Explanation(\"ATK-001\", System.getenv(\"AF_ADMIN_TOKEN\")));"), 9, "'System'"),
                new Attack("exits the server", rule("ProposedAction()", "System.exit(1);"), 9, "'System'"),
                new Attack("uses reflection", rule("$a : ProposedAction()",
                        "Object o = $a.getClass().getClassLoader().loadClass(\"java.lang.Runtime\");"), 9, "'Object'"),
                new Attack("reflects through a value", rule("$a : ProposedAction()",
                        "$a.getClass().getMethods();"), 9, "'getClass'"),
                new Attack("concatenates a class name", rule("ProposedAction()",
                        "Class.forName(\"java.lang.Run\" + \"time\");"), 9, "'Class'"),
                new Attack("reaches the engine through drools", rule("ProposedAction()",
                        "drools.getKieRuntime().getGlobals();"), 9, "drools.getKieRuntime"),
                new Attack("starts a thread", rule("ProposedAction()", "new Thread().start();"), 9, "'Thread'"),
                new Attack("calls a function from eval", HEAD + """
                        function boolean pwn() {
                            return java.nio.file.Files.exists(java.nio.file.Path.of("/"));
                        }
                        rule "ATK-001 an attack"
                            @tier(1) @severity("INFO") @description("probe")
                        when
                            eval(pwn())
                        then
                        end
                        """, 4, "'function'"),
                new Attack("uses eval", rule("eval(1 == 1)", ""), 7, "'eval'"),
                new Attack("declares a global", HEAD + "global java.util.List leaks;\n", 4, "'global'"),
                new Attack("declares a type", HEAD + "declare Leak\n    secret : String\nend\n", 4, "'declare'"),
                new Attack("declares a query", HEAD + "query \"leak\"\n    $a : ProposedAction()\nend\n", 4, "'query'"),
                new Attack("imports a class with a static initialiser", """
                        package attack.probe;
                        import java.util.logging.LogManager;
                        """, 2, "import 'java.util.logging.LogManager'"),
                new Attack("imports statically", """
                        package attack.probe;
                        import static java.lang.System.exit;
                        """, 2, "import"),
                new Attack("imports a function", """
                        package attack.probe;
                        import function java.lang.System.exit;
                        """, 2, "import"),
                new Attack("imports a server class beside the fact model", """
                        package attack.probe;
                        import dev.agentfactory.web.Json;
                        """, 2, "import 'dev.agentfactory.web.Json'"),
                new Attack("hides code behind a unicode line break in a comment", rule("ProposedAction()",
                        "// \\u000a Runtime.getRuntime().exec(\"id\");"), 9, "unicode escapes"),
                new Attack("closes a string with a unicode quote", rule("ProposedAction()",
                        "insert(new Explanation(\"ATK-001\", \"\\u0022); System.exit(1); (\\u0022\"));"), 9, "unicode escapes"),
                new Attack("hides code after a comment opener in a string", rule("ProposedAction()",
                        "insert(new Explanation(\"ATK-001\", \"/*\")); System.exit(1); // */"), 9, "'System'"),
                new Attack("hides code in a text block", rule("ProposedAction()",
                        "String s = \"\"\"\n\" \n\"\"\"; System.exit(1);"), 9, "text blocks"),
                new Attack("runs code in rule metadata at build time", HEAD + """
                        rule "ATK-001 an attack"
                            @tier(java.lang.System.exit(1)) @severity("INFO") @description("probe")
                        when
                        then
                        end
                        """, 5, "'java'"),
                new Attack("uses other metadata", HEAD + """
                        rule "ATK-001 an attack"
                            @tier(1) @severity("INFO") @description("probe") @watch(secret)
                        when
                        then
                        end
                        """, 5, "'@watch'"),
                new Attack("schedules a timer", HEAD + """
                        rule "ATK-001 an attack"
                            @tier(1) @severity("INFO") @description("probe")
                            timer (int: 1s 1s)
                        when
                        then
                        end
                        """, 6, "'timer'"),
                new Attack("takes over a JDK package", "package java.lang;\n", 1, "reserved"),
                new Attack("takes over our package", "package dev.agentfactory.rules.model;\n", 1, "reserved"),
                new Attack("writes a lambda", rule("ProposedAction( payload.values().stream().anyMatch(v -> v == null) )",
                        ""), 7, "'stream'"),
                new Attack("uses a method reference", rule("ProposedAction()",
                        "java.util.List.of(1).forEach(System.out::println);"), 9, "'java'"),
                new Attack("hides a name behind a look-alike letter", rule("ProposedAction()",
                        "Runtim\u0435.getRuntime();"), 9, "outside ASCII"),
                new Attack("builds an anonymous class", rule("ProposedAction()",
                        "new Object() {{ System.exit(1); }};"), 9, "'Object'"),
                new Attack("reads a class literal", rule("$a : ProposedAction()", "insert($a.class);"), 9, "'class'"),
                new Attack("inlines an accumulate with code", rule(
                        "Number() from accumulate( ProposedAction(), init( int n = 0; ) action( n++; ) result( n ) )", ""),
                        7, "'init'"),
                new Attack("reads a fully qualified fact type", rule("java.io.File()", ""), 7, "'java'"),
                new Attack("loops forever in a consequence", rule("ProposedAction()", "while (true) { }"), 9, "'while'"),
                new Attack("uses an entry point", rule("ProposedAction() from entry-point \"leak\"", ""), 7, "'entry'"),
                new Attack("uses a hash comment trick", rule("ProposedAction()", "# System.exit(1);"), 9, "'#'"),
                // found by the red team
                new Attack("breaks out of a single-quoted string", rule("ProposedAction()",
                        "String why = '\" + System.exit(1) + \"';"), 9, "single-quoted"),
                new Attack("breaks out of a single-quoted string in a condition",
                        rule("ProposedAction( actionType != '\" + System.exit(1) + \"' )", ""), 7, "single-quoted"),
                new Attack("names reflection after locals", rule("$a : ProposedAction()",
                        "String getClass = \"\"; String forName = \"\"; $a.getClass().forName(\"java.lang.Runtime\");"),
                        9, "'getClass'"),
                new Attack("uses a local of another rule as a package", HEAD + """
                        rule "ATK-001 declares"
                            @tier(1) @severity("INFO") @description("probe")
                        when
                        then
                            String java = ""; String lang = "";
                        end
                        rule "ATK-002 uses"
                            @tier(1) @severity("INFO") @description("probe")
                        when
                        then
                            java.lang.System.exit(1);
                        end
                        """, 14, "'java'"),
                new Attack("uses a local out of its block as a package", rule("ProposedAction()",
                        "if (true) { String java = \"\"; String lang = \"\"; } java.lang.System.exit(1);"), 9, "'java'"),
                new Attack("uses a local as a class", rule("ProposedAction()",
                        "String java = \"\"; new java();"), 9, "'java'"),
                new Attack("puts a variable after a dot", rule("$a : ProposedAction()", "$a.$secret();"), 9, "'$secret'"),
                new Attack("reaches a server class by its simple name from its package", """
                        package org.jdbi.v3.core.inlined.org.antlr.v4.runtime;
                        import dev.agentfactory.rules.model.*;

                        rule "ATK-001 an attack"
                            @tier(1) @severity("INFO") @description("probe")
                        when
                        then
                            insert(new Explanation("ATK-001", new $ANTLRFileStream("/etc/passwd").toString()));
                        end
                        """, 8, "org.jdbi.v3.core.inlined.org.antlr.v4.runtime.$ANTLRFileStream"),
                new Attack("takes a fact-model name from another package", """
                        package jakarta.annotation;
                        import dev.agentfactory.rules.model.*;

                        rule "ATK-001 an attack"
                            @tier(1) @severity("INFO") @description("probe")
                        when
                            $p : Priority()
                        then
                        end
                        """, 7, "jakarta.annotation.Priority"));
    }

    @TestFactory
    Stream<DynamicTest> every_attack_is_refused_with_its_line() {
        return attacks().stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> {
            List<RuleError> errors = DrlPolicy.check("attack.drl", attack.drl());
            assertFalse(errors.isEmpty(), "not refused: " + attack.name());
            RuleError first = errors.get(0);
            assertEquals("attack.drl", first.file());
            assertEquals(attack.line(), first.line(), first.toString());
            assertTrue(first.message().contains(attack.says()), first.toString());
        }));
    }

    @TestFactory
    Stream<DynamicTest> the_compiler_refuses_an_attack_before_building_anything() {
        return attacks().stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> {
            RuleCompiler.Compilation compilation = RuleCompiler.compile(RuleSource.of(
                    java.util.Map.of("attack.drl", attack.drl()), java.util.Map.of()));
            RuleCompiler.Failed failed = (RuleCompiler.Failed) compilation;
            assertEquals("policy", failed.reason());
        }));
    }

    @TestFactory
    Stream<DynamicTest> every_shipped_rule_file_and_template_passes() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("rules"))) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(drl|drt)$")).sorted()
                    .toList().stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> {
                        String text = Files.readString(file);
                        List<RuleError> errors = file.toString().endsWith(".drt")
                                ? DrlPolicy.checkTemplate(file.toString(), text) : DrlPolicy.check(file.toString(), text);
                        assertEquals(List.of(), errors);
                    }));
        }
    }

    @Test
    void a_rule_that_speaks_the_fact_model_passes() {
        String drl = HEAD + """
                import dev.agentfactory.blueprint.*;

                rule "ATK-002 a fair rule"
                    @tier(2) @severity("WARNING") @description("Strings with 'System' and // are only text")
                    salience -5
                when
                    $a : ProposedAction( actionType in ("SendSMS", "SendEmail"), payload["channel"] == "sms",
                                         confidence < Math.max(0.5, 0.7), $type : actionType )
                    ActionScopeFact( actionType == $type, scope == ActionScope.RealWorld )
                    $total : Number() from accumulate( RiskContribution( $p : points ), sum( $p ) )
                then
                    String why = "System.exit(1) is just text in " + $type;
                    double share = $total.doubleValue() / 2;
                    insert(RiskContribution.of(drools, share, why));
                    insert(ApprovalReason.hard(drools, why.toUpperCase()));
                end
                """;
        assertEquals(List.of(), DrlPolicy.check("fair.drl", drl));
    }

    @Test
    void a_file_that_passed_once_is_checked_again_when_its_text_changes() {
        String fair = rule("ProposedAction( confidence > 0.5 )", "insert(ApprovalReason.hard(drools, \"low\"));");
        assertEquals(List.of(), DrlPolicy.checkAll(java.util.Map.of("same.drl", fair)));
        assertEquals(List.of(), DrlPolicy.checkAll(java.util.Map.of("same.drl", fair)), "passed, and kept as passed");

        String changed = fair.replace("insert(ApprovalReason", "System.exit(1); insert(ApprovalReason");
        List<RuleError> errors = DrlPolicy.checkAll(java.util.Map.of("same.drl", changed));
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("same.drl", errors.get(0).file());
        assertEquals(List.of(), DrlPolicy.checkAll(java.util.Map.of("same.drl", fair)));
        assertEquals(1, DrlPolicy.checkAll(java.util.Map.of("same.drl", changed)).size(), "a refusal is never kept as a pass");
    }

    @Test
    void a_template_may_only_fill_in_its_own_columns() {
        String template = """
                template header
                actionType

                package agent;
                import dev.agentfactory.rules.model.*;

                template "allowed"
                rule "AGT-ACT-@{row.rowNumber} allowed"
                    @tier(1) @severity("INFO") @description("x")
                when
                    $action : ProposedAction( actionType == @{actionType} )
                then
                    // @{java.lang.Runtime.getRuntime().exec("touch /tmp/af-pwned")}
                    insert(new PermittedAction($action.actionType(), false));
                end
                end template
                """;
        List<RuleError> errors = DrlPolicy.checkTemplate("templates/a.drt", template);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(13, errors.get(0).line());
        assertTrue(errors.get(0).message().contains("@{java.lang.Runtime"), errors.toString());

        assertEquals(List.of(), DrlPolicy.checkTemplate("templates/a.drt", template.replace(
                "// @{java.lang.Runtime.getRuntime().exec(\"touch /tmp/af-pwned\")}", "// fine")));
        assertFalse(DrlPolicy.checkTemplate("templates/a.drt", template.replace("// @{java", "// @code{java")).isEmpty());
        assertFalse(DrlPolicy.checkTemplate("templates/a.drt", template.replace("@{actionType}",
                "@{actionType.getClass()}")).isEmpty());
        assertFalse(DrlPolicy.checkTemplate("templates/a.drt", template.replace("actionType\n\n",
                "actionType\n@{x}\n\n")).isEmpty());
    }

    @Test
    void the_allow_list_names_every_class_of_the_fact_model_package() throws IOException {
        Path dir = Path.of("src/main/java/dev/agentfactory/rules/model");
        Set<String> inPackage;
        try (Stream<Path> files = Files.list(dir)) {
            inPackage = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .filter(n -> !n.equals("package-info.java")).map(n -> n.substring(0, n.length() - 5))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = FactModel.FACT_MODEL.stream().map(Class::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(inPackage, listed, "list new fact-model classes in FactModel.FACT_MODEL (rules may call them)");
    }
}
