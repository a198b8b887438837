package dev.agentfactory.bench;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.AgentCompiler;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.TemplateSet;
import dev.agentfactory.rules.RuleCompiler;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.RuleSource;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.llm.LlmAdvisor;
import dev.agentfactory.web.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * In-process latency of the decision pipeline (the agent's compiled rules, then the shared tiers),
 * without HTTP or the database. Run: {@code bench/run.sh PipelineBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PipelineBench {
    private RuleSet shared;
    private CompiledAgent agent;
    private ActionPipeline pipeline;
    private ProposedAction innerWorld;
    private ProposedAction realWorld;

    @Setup
    public void setUp() {
        Path rules = Path.of("rules");
        shared = ((RuleCompiler.Compiled) RuleCompiler.compile(RuleSource.read(rules))).ruleSet();
        BlueprintSpec spec = Json.read("""
                {"name": "Bench agent", "description": "d", "goal": "g",
                 "triggerConfig": {"eventTriggers": ["lead.created"]},
                 "contextConfig": {"requiredContextTypes": ["ContactProfile"], "optionalContextTypes": ["LeadScore"]},
                 "actionConfig": {"allowedActionTypes": ["GenerateRecommendation", "SendEmail", "EscalateLead"],
                                  "actionConstraints": {"maxDailyActions": 500, "cooldownPeriod": "1h"}},
                 "validationConfig": {"highRiskActionTypes": ["SendEmail"]},
                 "promptConfig": {"promptTemplateId": "t"}}
                """, BlueprintSpec.class);
        agent = AgentCompiler.compile(TemplateSet.read(rules), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                1, spec);
        pipeline = new ActionPipeline(LlmAdvisor.NONE);
        innerWorld = new ProposedAction("GenerateRecommendation", 0.93, "c-1", List.of("ContactProfile"), null,
                Map.of("listingId", "L-1"), Map.of(), "the lead viewed three listings");
        realWorld = new ProposedAction("SendEmail", 0.85, "c-1", List.of("ContactProfile", "LeadScore"), null,
                Map.of("amount", 2500), Map.of(), null);
    }

    @Benchmark
    public Evaluation innerWorldAction() {
        return pipeline.evaluate(shared, agent, false, innerWorld);
    }

    @Benchmark
    public Evaluation realWorldHighRiskAction() {
        return pipeline.evaluate(shared, agent, false, realWorld);
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(PipelineBench.class.getSimpleName()).build()).run();
    }
}
