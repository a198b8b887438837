package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The shared rules compile package by package: a saved file recompiles its own package, nothing else. */
class CompiledPackagesTest {
    private static final Map<String, String> SHIPPED = Bundle.read(Path.of("rules")).files();

    @Test
    void a_saved_file_compiles_only_its_own_package_and_the_rules_are_those_of_a_whole_compilation() {
        Map<String, String> before = with(SHIPPED, "blueprint/a.drl", rule("a" + System.nanoTime(), "BP-CPA-1"));
        RuleSet first = compiled(before);

        long compiled = CompiledPackages.compiled();
        Map<String, String> after = with(before, "blueprint/b.drl", rule("b" + System.nanoTime(), "BP-CPB-1"));
        RuleSet second = compiled(after);

        assertEquals(1, CompiledPackages.compiled() - compiled, "only the new file's package is compiled");
        assertEquals(first.rules().size() + 1, second.rules().size());
        assertTrue(second.rules().stream().anyMatch(r -> r.id().equals("BP-CPB-1") && r.file().equals("blueprint/b.drl")),
                second.rules().toString());
        assertEquals(first.rules(), compiled(before).rules());
        assertEquals(1, CompiledPackages.compiled() - compiled, "nothing is compiled for files compiled before");
    }

    @Test
    void a_rule_set_made_of_kept_packages_passes_every_shipped_rule_test() {
        Bundle bundle = Bundle.of(with(SHIPPED, "blueprint/c.drl", rule("c" + System.nanoTime(), "BP-CPC-1")));
        compiled(bundle.files());

        BundleBuilder.Result built = new BundleBuilder().build(bundle);

        BuiltBundle passed = assertInstanceOf(BundleBuilder.Built.class, built, built.toString()).bundle();
        assertEquals(bundle.ruleSource().tests().size(), passed.tests().files());
        assertTrue(passed.tests().cases() > 100, passed.tests().toString());
    }

    @Test
    void a_broken_file_beside_kept_packages_is_refused_with_its_file_and_line() {
        compiled(SHIPPED);
        Map<String, String> broken = with(SHIPPED, "blueprint/d.drl", rule("d" + System.nanoTime(), "BP-CPD-1")
                .replace("BlueprintFact( name ==", "BlueprintFact( name = = "));

        RuleCompiler.Failed failed = assertInstanceOf(RuleCompiler.Failed.class,
                RuleCompiler.compile(Bundle.of(broken).ruleSource()));

        assertEquals("compile", failed.reason());
        assertEquals("blueprint/d.drl", failed.errors().get(0).file(), failed.errors().toString());
        assertTrue(failed.errors().get(0).line() > 0, failed.errors().toString());
    }

    @Test
    void one_rule_id_in_two_packages_is_refused_as_before() {
        compiled(SHIPPED);
        String id = "BP-CPE-" + (System.nanoTime() % 1000);
        Map<String, String> twice = with(with(SHIPPED, "blueprint/e1.drl", rule("e1" + System.nanoTime(), id)),
                "blueprint/e2.drl", rule("e2" + System.nanoTime(), id));

        RuleCompiler.Failed failed = assertInstanceOf(RuleCompiler.Failed.class,
                RuleCompiler.compile(Bundle.of(twice).ruleSource()));

        assertTrue(failed.errors().stream().anyMatch(e -> e.message().contains("rule id " + id + " is already used")),
                failed.errors().toString());
    }

    @Test
    void two_files_of_one_package_are_compiled_together() {
        String pkg = "shared" + System.nanoTime();
        Map<String, String> files = with(with(SHIPPED, "blueprint/f1.drl", rule(pkg, "BP-CPF-1")),
                "blueprint/f2.drl", rule(pkg, "BP-CPF-2"));
        long compiled = CompiledPackages.compiled();

        RuleSet rules = compiled(files);

        assertTrue(rules.rules().stream().anyMatch(r -> r.id().equals("BP-CPF-1")));
        assertTrue(rules.rules().stream().anyMatch(r -> r.id().equals("BP-CPF-2")));
        assertEquals(1, CompiledPackages.compiled() - compiled, "one package, one compilation");
    }

    private static RuleSet compiled(Map<String, String> files) {
        RuleCompiler.Compilation compilation = RuleCompiler.compile(Bundle.of(files).ruleSource());
        return assertInstanceOf(RuleCompiler.Compiled.class, compilation, compilation.toString()).ruleSet();
    }

    private static Map<String, String> with(Map<String, String> files, String path, String text) {
        Map<String, String> copy = new TreeMap<>(files);
        copy.put(path, text);
        return copy;
    }

    private static String rule(String pkg, String id) {
        return """
                package blueprint.%s;
                import dev.agentfactory.rules.model.*;

                rule "%s a rule that never fires"
                    @tier(3) @severity("INFO") @description("compiled package by package")
                when
                    BlueprintFact( name == "no blueprint is called this" )
                then
                    insert(Results.finding(drools, "never", "name"));
                end
                """.formatted(pkg, id);
    }
}
