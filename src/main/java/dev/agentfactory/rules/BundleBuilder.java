package dev.agentfactory.rules;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.web.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one pipeline a bundle goes through before anything serves it, whoever publishes it (the
 * watcher, {@code rules publish}, an activation over the API, another instance's activation): the
 * files must be readable text; every DRL file and template passes the rule policy (nothing of a
 * bundle that does not is compiled or filled in); the shared rules compile; the templates compile
 * into a working probe agent; every rule test passes against the candidate's own rules and
 * templates. A failure at any step is a {@link Refusal} with file and line.
 */
public final class BundleBuilder {
    /** Uses every template: actions, contexts, triggers, intents, conditions, constraints. */
    private static final BlueprintSpec PROBE = Json.read("""
            {"name": "template probe",
             "triggerConfig": {"eventTriggers": ["probe.event"], "supportedIntents": ["probe"],
                               "triggerConditions": {"score": {">=": 1}, "channel": "sms", "tags": {"in": ["a", "b"]}}},
             "contextConfig": {"requiredContextTypes": ["ContactProfile"], "optionalContextTypes": ["LeadScore"]},
             "actionConfig": {"allowedActionTypes": ["SendEmail", "GenerateRecommendation"],
                              "actionConstraints": {"maxDailyActions": 10, "cooldownPeriod": "1h"}},
             "validationConfig": {"highRiskActionTypes": ["SendEmail"]}}
            """, BlueprintSpec.class);

    /**
     * Rounds of the action cases a new rule set runs before it serves, at most: ~40 cases a round make
     * the shared rules' hottest classes run tens of thousands of times, past the JVM's thresholds for
     * its optimizing compiler.
     */
    static final int WARM_UP_ROUNDS = 1_000;

    /** How many built bundles the process keeps for {@link #build} to hand out again (a few MB each). */
    static final int KEPT = 8;

    /**
     * Bundles built in this process, by version and warm-up. A version is a hash of every file, and a
     * built bundle is immutable, so a version built once needs no second build: going back to an earlier
     * bundle is instant, and several servers in one JVM (the tests run hundreds) share one build.
     * Refusals are not kept: they carry their time, and are cheap to find again.
     */
    private static final Map<String, Built> BUILT = Collections.synchronizedMap(Lru.map(KEPT));

    /**
     * Templates that made a working probe agent in this process: a reload that changes only shared rules
     * does not compile the probe again. Keyed by the texts, not their version (a short hash can be made
     * to collide).
     */
    private static final java.util.Set<Map<String, String>> PROBED = Collections.newSetFromMap(
            Collections.synchronizedMap(Lru.map(KEPT)));

    private final RuleTestRunner tests = new RuleTestRunner();
    private final Duration warmUp;

    /** A builder that serves what passes at once (the command line checks and publishes; nothing serves there). */
    public BundleBuilder() {
        this(Duration.ZERO);
    }

    /**
     * @param warmUp how long, at most, a bundle that passed runs its action cases again before it is handed out:
     *     the rules compile into new classes, which the JVM runs interpreted until it has compiled them;
     *     warmed here, before a server is ready, its first decisions do not pay for that. A reload under
     *     load is not warmed ({@link #withoutWarmUp}): the warm-up would take a core from the decisions
     *     being served for its whole length (see docs/operations.md for what that measured)
     */
    public BundleBuilder(Duration warmUp) {
        this.warmUp = warmUp;
    }

    /** What {@link #build} makes of a bundle. */
    public sealed interface Result permits Built, Refused {
    }

    /** What {@link #check} makes of a bundle. */
    public sealed interface CheckResult permits Checked, Refused {
    }

    public record Built(BuiltBundle bundle) implements Result {
    }

    public record Refused(Refusal refusal) implements Result, CheckResult {
    }

    /** The shared rules and templates of a bundle that passed every step but its rule tests. */
    public record Checked(Bundle bundle, RuleSet rules, TemplateSet templates) implements CheckResult {
    }

    /** Every step, unless this process built the same version with the same warm-up already. */
    public Result build(Bundle bundle) {
        Built earlier = BUILT.get(key(bundle.version()));
        if (earlier != null) {
            return earlier;
        }
        Result result = buildAnew(bundle);
        if (result instanceof Built built) {
            BUILT.put(key(bundle.version()), built);
        }
        return result;
    }

    /** The bundle of {@code version} as this process built it lately, with whatever warm-up. */
    public static Optional<Built> builtBefore(String version) {
        synchronized (BUILT) {
            return BUILT.values().stream().filter(built -> built.bundle().version().equals(version)).findFirst();
        }
    }

    /** This builder without its warm-up: for a bundle that replaces one serving under load. */
    public BundleBuilder withoutWarmUp() {
        return warmUp.isZero() ? this : new BundleBuilder();
    }

    private String key(String version) {
        return version + "/" + warmUp.toMillis();
    }

    private Result buildAnew(Bundle bundle) {
        long started = System.nanoTime();
        CheckResult checked = check(bundle);
        if (checked instanceof Refused refused) {
            return refused;
        }
        Checked candidate = (Checked) checked;
        List<CaseResult> results = runTests(candidate);
        List<RuleError> failures = RuleTestRunner.failures(results);
        if (!failures.isEmpty()) {
            return refuse(bundle, "tests", failures);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int rounds = warmUp(candidate);
        return new Built(new BuiltBundle(bundle.version(), candidate.rules(), candidate.templates(),
                new BuiltBundle.TestSummary(bundle.ruleSource().tests().size(), results.size()),
                List.copyOf(bundle.files().keySet()), millis, rounds, Catalog.of(bundle.files(), candidate.rules())));
    }

    /**
     * Every step but the rule tests ({@code rules check}). The rule tests come apart so
     * {@code rules test} can show every case.
     */
    public CheckResult check(Bundle bundle) {
        List<RuleError> unusable = new ArrayList<>(bundle.problems());
        unusable.addAll(bundle.unknownTemplates());
        if (!unusable.isEmpty()) {
            return refuse(bundle, "files", unusable);
        }
        RuleSource source = bundle.ruleSource();
        TemplateSet templates = bundle.templateSet();
        List<RuleError> violations = new ArrayList<>(DrlPolicy.checkAll(source.drl()));
        violations.addAll(templates.policyViolations());
        if (!violations.isEmpty()) {
            return refuse(bundle, "policy", violations);
        }
        RuleCompiler.Compilation compilation;
        try {
            compilation = RuleCompiler.compile(source);
        } catch (RuntimeException e) {
            // Drools throws on a few malformed inputs instead of reporting them: still a refusal, never a crash.
            return refuse(bundle, "compile", List.of(new RuleError("?", 0, String.valueOf(e.getMessage()))));
        }
        if (compilation instanceof RuleCompiler.Failed failed) {
            return refuse(bundle, failed.reason(), failed.errors());
        }
        try {
            if (!PROBED.contains(templates.texts())) {
                AgentCompiler.compile(templates, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, PROBE);
                PROBED.add(templates.texts());
            }
        } catch (AgentCompileException e) {
            return refuse(bundle, e.reason().equals("policy") ? "policy" : "templates", e.errors());
        } catch (RuntimeException e) {
            return refuse(bundle, "templates", List.of(new RuleError(TemplateSet.DIR, 0, String.valueOf(e.getMessage()))));
        }
        return new Checked(bundle, ((RuleCompiler.Compiled) compilation).ruleSet(), templates);
    }

    /** Every rule test case of the bundle, against its own rules and templates. */
    public List<CaseResult> runTests(Checked candidate) {
        return tests.run(candidate.rules(), candidate.templates(), candidate.bundle().ruleSource());
    }

    /**
     * Runs the candidate's action cases through the decision pipeline, over and over, until each has run
     * {@link #WARM_UP_ROUNDS} times or {@link #warmUp} is over; returns how many rounds it ran. Enough for
     * the JVM to compile the new rules' classes; more would only take CPU from the decisions being served.
     */
    private int warmUp(Checked candidate) {
        if (warmUp.isZero()) {
            return 0;
        }
        List<Runnable> cases = tests.actionCases(candidate.rules(), candidate.templates(),
                candidate.bundle().ruleSource());
        long deadline = System.nanoTime() + warmUp.toNanos();
        int rounds = 0;
        while (rounds < WARM_UP_ROUNDS && System.nanoTime() < deadline && !cases.isEmpty()) {
            cases.forEach(Runnable::run);
            rounds++;
        }
        return rounds;
    }

    private static Refused refuse(Bundle bundle, String reason, List<RuleError> errors) {
        return new Refused(new Refusal(bundle.version(), Instant.now(), reason, errors));
    }
}
