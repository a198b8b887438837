package dev.agentfactory.warmup;

import dev.agentfactory.rules.Bundle;
import dev.agentfactory.rules.BundleBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The other half of a rehearsal: the rules folder's bundle built again and again, one never-firing rule
 * added each time, as a saved rule file is built under load (rule policy, compilation, the template probe,
 * every rule test). The first build of a process runs the rule compiler's code (Drools, MVEL, the Java
 * compiler) interpreted, and the JIT compiles it while decisions wait for the CPU: a reload under load
 * took 4 to 11 s and its compiler threads a core. Rehearsed, a reload costs what a build costs.
 *
 * <p>Nothing built here serves or enters the process's cache of built bundles: the builds only warm the
 * code that builds. Their compiled DRL packages are kept like any build's ({@code CompiledPackages}), so
 * from the second build on each compiles only its own rule, as a saved file does. A folder that is refused is not built again: its refusal warms nothing
 * past the step that refused it.
 */
final class RehearsalBuilds {
    /** Enough for the compiler's hot code to reach the JIT's optimizing tier (a build alone took 6 s, its 6th 0.8 s). */
    static final int BUILDS = 6;

    private final Path rulesDir;

    RehearsalBuilds(Path rulesDir) {
        this.rulesDir = rulesDir;
    }

    /**
     * Builds until {@link #BUILDS} are done or {@code deadline} ({@link System#nanoTime()}) has passed;
     * {@code progress} hears the count so far.
     *
     * @return why it stopped short, if it did for another reason than the time
     */
    Optional<String> run(long deadline, IntConsumer progress) {
        Bundle folder = Bundle.read(rulesDir);
        if (!folder.problems().isEmpty() || folder.ruleSource().drl().isEmpty()) {
            return Optional.of("the rules folder " + rulesDir + " holds no usable rules");
        }
        BundleBuilder builder = new BundleBuilder();
        for (int built = 0; built < BUILDS && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted();) {
            if (!(builder.check(variant(folder, built)) instanceof BundleBuilder.Checked checked)) {
                return Optional.of("the rules folder " + rulesDir + " is refused");
            }
            builder.runTests(checked);
            progress.accept(++built);
        }
        return Optional.empty();
    }

    /** The folder's files and a rule of its own: what a saved rule file makes of the folder. */
    private static Bundle variant(Bundle folder, int n) {
        Map<String, String> files = new TreeMap<>(folder.files());
        files.put("rehearsal/rehearsal-" + n + ".drl", """
                package rehearsal.r%d;
                import dev.agentfactory.rules.model.*;

                rule "BP-REHEARSAL-%d a rule that never fires"
                    @tier(3) @severity("INFO") @description("Built by the start-up rehearsal, never served")
                when
                    BlueprintFact( name == "no blueprint is called this" )
                then
                    insert(Results.finding(drools, "never", "name"));
                end
                """.formatted(n, n));
        return Bundle.of(files);
    }
}
