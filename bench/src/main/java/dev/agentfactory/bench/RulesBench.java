package dev.agentfactory.bench;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.RuleCompiler;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.RuleSource;
import dev.agentfactory.rules.model.Requester;
import dev.agentfactory.rules.Bundle;
import dev.agentfactory.rules.BundleBuilder;
import dev.agentfactory.rules.BlueprintValidator;
import dev.agentfactory.web.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rule reload time (what a new bundle costs: the policy check, a new KieBase, the template probe
 * and the rule tests) for the shipped set, compile time for a generated set of 1,000 rules, and
 * blueprint validations per second in one process. Run: {@code bench/run.sh RulesBench [rules dir]}.
 */
public final class RulesBench {
    private static final BlueprintValidator VALIDATOR = new BlueprintValidator(java.util.Set.of());
    /** One builder for every reload, as in the server: its compiled test agents are reused across reloads. */
    private static final BundleBuilder BUILDER = new BundleBuilder();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 && !args[0].isBlank() ? args[0] : "rules");
        Bundle bundle = Bundle.read(dir);
        RuleSource shipped = bundle.ruleSource();
        System.out.printf("cores=%d java=%s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        double firstMs = time(() -> reload(bundle));
        System.out.printf("shipped set, first reload in a fresh JVM: %.0f ms (%d files)%n", firstMs, shipped.drl().size());
        System.out.println("shipped bundle build (policy, compile, template probe, rule tests): "
                + repeat(20, () -> reload(bundle)).summary("ms"));
        System.out.println("shipped set compile only: " + repeat(20, () -> compile(shipped)).summary("ms"));

        RuleSource generated = generated(1000);
        System.out.println("generated 1000 rules compile: " + repeat(5, () -> compile(generated)).summary("ms"));

        RuleSet ruleSet = compile(shipped);
        BlueprintSpec spec = Json.read("""
                {"name": "Bench agent", "description": "d", "goal": "g",
                 "triggerConfig": {"eventTriggers": ["interaction.completed"]},
                 "contextConfig": {"requiredContextTypes": ["ContactProfile", "LeadScore"]},
                 "actionConfig": {"allowedActionTypes": ["SendEmail", "GenerateRecommendation", "EscalateLead"],
                                  "actionConstraints": {"maxDailyActions": 200}},
                 "validationConfig": {"highRiskActionTypes": ["SendEmail"]},
                 "promptConfig": {"promptTemplateId": "t", "customSystemPrompt": "Be helpful and brief."}}
                """, BlueprintSpec.class);
        Requester requester = new Requester("bench", false);
        for (int threads : new int[] {1, 2}) {
            validations(ruleSet, spec, requester, threads, 2_000);
            validations(ruleSet, spec, requester, threads, 5_000);
        }
    }

    private static void validations(RuleSet ruleSet, BlueprintSpec spec, Requester requester, int threads,
                                    long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + millis * 1_000_000;
        List<Future<List<Double>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                List<Double> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    VALIDATOR.validate(ruleSet, spec, requester);
                    latencies.add((System.nanoTime() - start) / 1_000.0);
                }
                return latencies;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> future : futures) {
            all.addAll(future.get());
        }
        pool.shutdown();
        if (millis >= 5_000) {
            System.out.printf("validations, %d thread(s): %.0f/s, latency %s%n", threads, all.size() / (millis / 1000.0),
                    new Stats(all.stream().mapToDouble(Double::doubleValue).toArray()).summary("us"));
        }
    }

    private static RuleSet reload(Bundle bundle) {
        BundleBuilder.Result result = BUILDER.build(bundle);
        if (result instanceof BundleBuilder.Refused refused) {
            throw new IllegalStateException("refused: " + refused.refusal().errors());
        }
        return ((BundleBuilder.Built) result).bundle().rules();
    }

    private static RuleSet compile(RuleSource source) {
        RuleCompiler.Compilation compilation = RuleCompiler.compile(source);
        if (compilation instanceof RuleCompiler.Failed failed) {
            throw new IllegalStateException("does not compile: " + failed.errors());
        }
        return ((RuleCompiler.Compiled) compilation).ruleSet();
    }

    /** Rules shaped like the shipped ones: a pattern on the blueprint, a finding with metadata. */
    static RuleSource generated(int count) {
        Map<String, String> files = new TreeMap<>();
        int perFile = 100;
        for (int f = 0; f < count / perFile; f++) {
            StringBuilder drl = new StringBuilder("package generated.g" + f + ";\n"
                    + "import dev.agentfactory.rules.model.*;\nimport dev.agentfactory.blueprint.*;\n\n");
            for (int r = 0; r < perFile; r++) {
                int n = f * perFile + r;
                drl.append("""
                        rule "GEN-%1$d generated rule %1$d"
                            @tier(3) @severity("WARNING") @description("generated rule %1$d")
                        when
                            BlueprintFact( allowedActionTypes contains "Action%1$d", maxDailyActions > %1$d )
                        then
                            insert(Results.finding(drools, "generated finding %1$d", "actionConfig"));
                        end

                        """.formatted(n));
            }
            files.put("generated/g" + f + ".drl", drl.toString());
        }
        return RuleSource.of(files, Map.of());
    }

    private static Stats repeat(int times, Runnable work) {
        work.run();
        double[] samples = new double[times];
        for (int i = 0; i < times; i++) {
            samples[i] = time(work);
        }
        return new Stats(samples);
    }

    private static double time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000.0;
    }
}
