package dev.agentfactory.runtime;

import dev.agentfactory.execution.ArgumentsDigest;
import dev.agentfactory.rules.ActionInput;

import dev.agentfactory.rules.Evaluation;

import dev.agentfactory.rules.ActionPipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.rules.AgentCompiler;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.rules.ActiveBundle;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.TemplateSet;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.QuotaClaim;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** A decision's current state, and the what-if pipeline for compliance (nothing stored). */
public final class DecisionQueries {
    /** Not-deployed agents compiled for a what-if, kept for the next one: compiling is the expensive part. */
    private static final int MAX_COMPILED = 32;

    private final Jdbi jdbi;
    private final PolicyEngine policy;
    private final AgentRegistry registry;
    private final BlueprintService blueprints;
    private final ActionPipeline pipeline;
    /** Keyed by agent id, blueprint version and template version: a cached agent is never stale. */
    private final Map<String, CompiledAgent> compiled = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompiledAgent> eldest) {
                    return size() > MAX_COMPILED;
                }
            });

    public DecisionQueries(Jdbi jdbi, PolicyEngine policy, AgentRegistry registry, BlueprintService blueprints,
                           ActionPipeline pipeline) {
        this.jdbi = jdbi;
        this.policy = policy;
        this.registry = registry;
        this.blueprints = blueprints;
        this.pipeline = pipeline;
    }

    public Map<String, Object> decision(Caller caller, UUID agentId, UUID decisionId) {
        if (caller.has(Role.AGENT) && !caller.isAdmin() && !agentId.equals(caller.agentId())) {
            throw new ForbiddenException("this token may only read its own agent's decisions");
        }
        DecisionDao.Row row = jdbi.withExtension(DecisionDao.class, dao -> dao.find(caller.organizationId(), agentId,
                decisionId)).orElseThrow(() -> new NotFoundException("decision " + decisionId));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("decisionId", row.id());
        view.put("agentId", row.agentId());
        view.put("actionType", row.actionType());
        view.put("scope", row.scope());
        view.put("decision", row.decision());
        view.put("status", row.status());
        view.put("riskScore", row.riskScore());
        view.put("reasons", Json.read(row.reasons(), JsonNode.class));
        view.put("rulesFired", Json.read(row.rulesFired(), JsonNode.class));
        view.put("ruleSetVersion", row.ruleSetVersion());
        view.put("agentVersion", row.blueprintVersion());
        view.put("deploymentId", row.deploymentId());
        view.put("approvalId", row.approvalId());
        view.put("approvalStatus", row.approvalStatus());
        view.put("traceId", row.traceId());
        view.put("input", Json.read(row.input(), JsonNode.class));
        // what the agent may execute, once: the cleared arguments (the approver's, when edited) and their digest
        if (row.status().equals("EXECUTE") || row.status().equals("APPROVED")) {
            String cleared = row.approvedInput() != null ? row.approvedInput() : row.input();
            view.put("approvedInput", row.approvedInput() == null ? null : Json.read(row.approvedInput(), JsonNode.class));
            view.put("argumentsDigest", ArgumentsDigest.ofStored(row.actionType(), cleared));
            view.put("approvedUntil", row.approvedUntil());
        }
        view.put("createdAt", row.createdAt());
        view.put("updatedAt", row.updatedAt());
        return view;
    }

    /** The body of {@code POST /api/validation/action}. {@code paused} simulates a paused agent. */
    public record WhatIf(UUID agentId, ActionInput action, Boolean paused) {
    }

    /**
     * The same pipeline for one action, nothing stored and no constraint used up: with the live
     * agent, or (not deployed) with its latest version compiled for the occasion and remembered.
     * {@code compiledAt} in the answer tells which compiled form decided.
     */
    public Map<String, Object> whatIf(Caller caller, WhatIf request) {
        if (request.agentId() == null) {
            throw new dev.agentfactory.web.BadRequestException("agentId", "is required");
        }
        List<ProposedAction> actions = ActionRequests.check(new ActionRequest(null,
                request.action() == null ? null : List.of(request.action())));
        Blueprint blueprint = blueprints.get(caller.organizationId(), request.agentId());
        ActiveBundle bundle = policy.active();
        AgentRegistry.LiveAgent live = registry.find(request.agentId())
                .filter(a -> a.compiled().organizationId().equals(caller.organizationId()))
                .orElseGet(() -> new AgentRegistry.LiveAgent(compileLatest(bundle.templates(), blueprint), false));
        if (request.paused() != null) {
            live = live.withPaused(request.paused());
        }
        Evaluation evaluation = pipeline.evaluate(bundle.rules(), live.compiled(), live.paused(), actions.get(0));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dryRun", true);
        answer.put("live", registry.find(request.agentId()).isPresent());
        answer.put("actionType", evaluation.actionType());
        answer.put("scope", evaluation.scope());
        answer.put("decision", evaluation.decision());
        answer.put("riskScore", evaluation.riskScore());
        answer.put("reasons", evaluation.reasons());
        answer.put("rulesFired", evaluation.rulesFired());
        answer.put("ruleSetVersion", evaluation.ruleSetVersion());
        answer.put("agentVersion", evaluation.agentVersion());
        answer.put("compiledAt", live.compiled().compiledAt());
        answer.put("constraints", evaluation.claims().stream().map(claim -> constraint(request.agentId(), claim)).toList());
        return answer;
    }

    private Map<String, Object> constraint(UUID agentId, QuotaClaim claim) {
        Map<String, Object> constraint = new LinkedHashMap<>();
        constraint.put("ruleId", claim.ruleId());
        constraint.put("kind", claim.kind());
        constraint.put("limit", claim.limit());
        if (claim.kind().equals("DAILY")) {
            constraint.put("usedToday", jdbi.withExtension(QuotaDao.class, dao -> dao.usedToday(agentId)));
        }
        return constraint;
    }

    /** Two what-ifs racing on a new key may both compile; the lock is never held while compiling. */
    private CompiledAgent compileLatest(TemplateSet templateSet, Blueprint blueprint) {
        String key = blueprint.id() + "/" + blueprint.version() + "/" + templateSet.version();
        CompiledAgent agent = compiled.get(key);
        if (agent == null) {
            agent = AgentCompiler.compile(templateSet, blueprint.organizationId(), blueprint.id(), new UUID(0, 0),
                    blueprint.version(), blueprint.spec());
            compiled.put(key, agent);
        }
        return agent;
    }
}
