package dev.agentfactory.replay;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.BundleStore;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import org.jdbi.v3.core.Jdbi;

/** Why a decision was made, and what a candidate bundle or agent version would have made of past ones. */
public final class ReplayController {
    private final ExplainService explain;
    private final ImpactService impact;

    ReplayController(ExplainService explain, ImpactService impact) {
        this.explain = explain;
        this.impact = impact;
    }

    /** The feature wired from what the server has (App.create calls this once). */
    public static ReplayController create(Jdbi jdbi, PolicyEngine policy, BundleStore store, BlueprintService blueprints,
                                          ActionPipeline pipeline) {
        BundleVersions bundles = new BundleVersions(policy, store);
        return new ReplayController(new ExplainService(jdbi, bundles, pipeline),
                new ImpactService(bundles, blueprints, new AgentVersions(jdbi), new Replayer(jdbi, pipeline)));
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/agents/{id}/decisions/{decisionId}/explain", ctx -> ctx.json(explain.explain(
                Caller.of(ctx), Ids.pathId(ctx, "id"), Ids.pathId(ctx, "decisionId"))),
                Role.AGENT, Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
        config.routes.post("/api/impact", ctx -> ctx.json(impact.impact(Caller.of(ctx),
                JsonBody.read(ctx, ImpactService.ImpactRequest.class))), Role.PM, Role.COMPLIANCE, Role.ADMIN);
    }
}
