package dev.agentfactory.runtime;

import dev.agentfactory.rules.Evaluation;

import dev.agentfactory.rules.ActionPipeline;

import dev.agentfactory.approval.ApprovalRequest;
import dev.agentfactory.approval.ApprovalService;
import dev.agentfactory.approval.RoutedRequest;
import dev.agentfactory.execution.ArgumentsDigest;
import dev.agentfactory.grant.Grants;
import dev.agentfactory.rules.HistoryWindow;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.RecentActions;
import dev.agentfactory.rules.model.ApprovalRequestFact;
import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.db.TimeOrderedIds;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.monitoring.Metrics;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.RecordedState;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.QuotaClaim;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Decides on the actions an agent proposes. Every decision, with its inputs, the rules that fired
 * and both versions, is stored with its audit entry in one transaction before the answer goes
 * out; constraints (daily cap, cooldown) are claimed in that transaction so concurrent proposals
 * cannot slip past them; an {@code Idempotency-Key} makes a retry return the first answer.
 */
public final class DecisionService {
    private final Jdbi jdbi;
    private final PolicyEngine rules;
    private final AgentRegistry registry;
    private final BlueprintService blueprints;
    private final ActionPipeline pipeline;
    private final ApprovalService approvals;
    private final AuditLog auditLog;
    private final Metrics metrics;
    private final HistoryFacts historyFacts;
    private volatile DecisionTap tap = DecisionTap.NONE;

    public DecisionService(Jdbi jdbi, PolicyEngine rules, AgentRegistry registry, BlueprintService blueprints,
                           ActionPipeline pipeline, ApprovalService approvals, AuditLog auditLog, Metrics metrics) {
        this.jdbi = jdbi;
        this.rules = rules;
        this.registry = registry;
        this.blueprints = blueprints;
        this.pipeline = pipeline;
        this.approvals = approvals;
        this.auditLog = auditLog;
        this.metrics = metrics;
        this.historyFacts = new HistoryFacts(jdbi);
    }

    /** Forgets history counts older than any window reads; run now and then. */
    public void forgetOldHistory() {
        historyFacts.forgetOld();
    }

    /** Who hears of every committed decision (shadow mode). */
    public DecisionService tap(DecisionTap tap) {
        this.tap = tap;
        return this;
    }

    public DecisionResponse propose(Caller caller, UUID agentId, ActionRequest request, String idempotencyKey) {
        authorize(caller, agentId);
        List<ProposedAction> actions = ActionRequests.check(request);
        String requestHash = idempotencyKey == null ? null : hash(Json.write(request));
        if (idempotencyKey != null) {
            Optional<DecisionResponse> earlier = stored(agentId, idempotencyKey, requestHash);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        AgentRegistry.LiveAgent live = liveAgent(caller, agentId);
        RuleSet ruleSet = rules.current();
        List<Evaluation> evaluations = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        List<List<HistoryWindow>> windowed = new ArrayList<>();
        for (ProposedAction action : actions) {
            List<HistoryWindow> windows = ruleSet.windowsFor(action.actionType());
            windowed.add(windows);
            if (!windows.isEmpty()) {
                // decided in the transaction, under the agent's lock, on a history no concurrent proposal
                // can change: evaluating it here as well would only be done again
                historyFacts.countFromNowOn(windows);
                evaluations.add(null);
                latencies.add(0L);
                continue;
            }
            long started = System.nanoTime();
            evaluations.add(pipeline.evaluate(ruleSet, live.compiled(), live.paused(), action));
            latencies.add((System.nanoTime() - started) / 1_000);
        }
        Histories histories = new Histories(ruleSet, live, windowed);
        List<UUID> decisionIds = new ArrayList<>();
        actions.forEach(action -> decisionIds.add(TimeOrderedIds.next()));
        List<RoutedRequest> routes = route(caller, live.compiled(), ruleSet, actions, evaluations, decisionIds);
        try {
            DecisionResponse response = null;
            while (response == null) {
                try {
                    response = !histories.any() && oneStatement(evaluations, idempotencyKey)
                            // the decision and its audit entry are one statement, atomic on its own: no BEGIN, no COMMIT
                            ? jdbi.withHandle(handle -> store(handle, caller, live, request, actions,
                                    evaluations, latencies, decisionIds, routes, histories, null, null))
                            : jdbi.inTransaction(handle -> store(handle, caller, live, request, actions,
                                    evaluations, latencies, decisionIds, routes, histories, idempotencyKey, requestHash));
                } catch (LlmWanted wanted) {
                    // a windowed action's rules want the LLM: asked with the agent's lock released, then decided again
                    askLlm(caller, histories, wanted.index, actions.get(wanted.index));
                }
            }
            for (int i = 0; i < response.decisions().size(); i++) {
                metrics.decision(response.decisions().get(i).decision().name(), latencies.get(i));
                tap.decided(caller.organizationId(), live.compiled(), live.paused(), actions.get(i), evaluations.get(i),
                        response.decisions().get(i));
            }
            return response;
        } catch (KeyTakenException e) {
            // A concurrent retry with the same key committed first; our transaction rolled back.
            return stored(agentId, idempotencyKey, requestHash).orElseThrow();
        }
    }

    /**
     * Whether the whole answer is one write: a single action that uses up no constraint, asks no human
     * and carries no idempotency key (the busiest case by far). Anything else writes several rows that
     * must commit together.
     */
    private static boolean oneStatement(List<Evaluation> evaluations, String idempotencyKey) {
        return idempotencyKey == null && evaluations.size() == 1 && evaluations.get(0).claims().isEmpty()
                && evaluations.get(0).decision() != Decision.REQUIRE_APPROVAL;
    }

    /**
     * Routes the approval requests the actions need (none on the busy path), before the transaction
     * that stores the decisions opens; an entry is null for an action that needs no approval.
     */
    private List<RoutedRequest> route(Caller caller, CompiledAgent agent, RuleSet ruleSet, List<ProposedAction> actions,
                                      List<Evaluation> evaluations, List<UUID> decisionIds) {
        if (evaluations.stream().noneMatch(e -> e != null && e.decision() == Decision.REQUIRE_APPROVAL)) {
            return java.util.Collections.nCopies(actions.size(), null);
        }
        String secret = agent.spec().actionConfig().callbackUrl() == null ? null
                : jdbi.withExtension(DecisionDao.class, dao -> dao.callbackSecret(agent.deploymentId())).orElse(null);
        List<RoutedRequest> routes = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            routes.add(evaluations.get(i) == null || evaluations.get(i).decision() != Decision.REQUIRE_APPROVAL ? null
                    : approvals.route(ruleSet, approvalRequest(caller, agent, decisionIds.get(i), actions.get(i),
                            evaluations.get(i), secret)));
        }
        return routes;
    }

    private DecisionResponse store(Handle handle, Caller caller, AgentRegistry.LiveAgent live, ActionRequest request,
                                   List<ProposedAction> actions, List<Evaluation> evaluations, List<Long> latencies,
                                   List<UUID> decisionIds, List<RoutedRequest> routes, Histories histories,
                                   String idempotencyKey, String requestHash) {
        CompiledAgent agent = live.compiled();
        if (histories.any() && histories.windows().get(0).isEmpty()) {
            // the agent's lock before any other: the first action's constraint slots come after it
            // (when the first action is windowed, its read takes the lock, in the same round trip)
            HistoryFacts.lock(handle, agent.agentId());
        }
        List<DecisionView> views = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            ProposedAction action = actions.get(i);
            Evaluation decided = decided(handle, caller, histories, i, action, evaluations, latencies);
            Evaluation evaluation = claim(handle, agent, action, decided, "claims" + i);
            if (evaluation.decision() == Decision.REQUIRE_APPROVAL && !evaluation.hardReasons()) {
                // a standing grant covers it: executed now, the grant named (only actions waiting for a human pay this)
                Optional<Grants.Use> use = Grants.use(handle, agent.agentId(), action.actionType(), action.contactId());
                if (use.isPresent()) {
                    evaluation = evaluation.grantedBy(use.get().reason());
                }
            }
            UUID decisionId = decisionIds.get(i);
            UUID approvalId = null;
            if (evaluation.decision() == Decision.REQUIRE_APPROVAL) {
                RoutedRequest routed = routes.get(i) != null ? routes.get(i) : approvals.route(handle,
                        histories.ruleSet(), approvalRequest(caller, agent, decisionId, action, evaluation,
                                agent.spec().actionConfig().callbackUrl() == null ? null : handle.attach(DecisionDao.class)
                                        .callbackSecret(agent.deploymentId()).orElse(null)));
                approvalId = approvals.raise(handle, caller, routed);
            }
            String status = DecisionStatus.of(evaluation.decision()).name();
            DecisionView view = new DecisionView(decisionId, action.actionType(), evaluation.scope(),
                    evaluation.decision(), evaluation.riskScore(), evaluation.reasons(), evaluation.rulesFired(),
                    evaluation.ruleSetVersion(), evaluation.agentVersion(), approvalId,
                    evaluation.decision() == Decision.EXECUTE
                            ? ArgumentsDigest.of(action.actionType(), action.contactId(), action.payload()) : null);
            // The decision and its audit entry in one statement: one round trip on the busiest path.
            DecisionDao.NewDecision row = new DecisionDao.NewDecision(decisionId, caller.organizationId(),
                    agent.agentId(), agent.deploymentId(), agent.blueprintVersion(), evaluation.ruleSetVersion(),
                    request.traceId(), caller.requestId(), action.actionType(), evaluation.scope().name(),
                    evaluation.decision().name(), status, evaluation.riskScore(), action.confidence(),
                    action.contactId(), Json.write(evaluation.reasons()), Json.write(evaluation.rulesFired()),
                    Json.write(action), approvalId, latencies.get(i),
                    RecordedState.of(live.paused(), decided, evaluation).json());
            auditLog.appendWith(handle, DecisionDao.INSERT, row::set, AuditEvent.by(caller, "decision.made",
                    "decision", decisionId, null, Json.tree(audited(agent, action, view, request.traceId())))
                    .withRules(evaluation.ruleSetVersion(), evaluation.rulesFired()));
            views.add(view);
        }
        DecisionResponse response = new DecisionResponse(request.traceId(), views);
        if (idempotencyKey != null && handle.attach(IdempotencyDao.class)
                .insert(agent.agentId(), idempotencyKey, requestHash, Json.write(response)) == 0) {
            throw new KeyTakenException();
        }
        return response;
    }

    /**
     * The history windows that cover each action (an empty list where none does: the common path), and
     * the LLM's verdicts for windowed actions whose rules asked for one.
     */
    private record Histories(RuleSet ruleSet, AgentRegistry.LiveAgent live, List<List<HistoryWindow>> windows,
                             Map<Integer, LlmVerdict> verdicts, java.util.Set<Integer> askUnderLock) {
        Histories(RuleSet ruleSet, AgentRegistry.LiveAgent live, List<List<HistoryWindow>> windows) {
            this(ruleSet, live, windows, new java.util.HashMap<>(), new java.util.HashSet<>());
        }

        boolean any() {
            return windows.stream().anyMatch(w -> !w.isEmpty());
        }
    }

    /** A windowed action's rules want the LLM's verdict: the transaction ends, the LLM is asked outside it. */
    private static final class LlmWanted extends RuntimeException {
        private final int index;

        LlmWanted(int index) {
            super(null, null, false, false);
            this.index = index;
        }
    }

    /**
     * Asks the LLM about windowed action {@code i} outside any transaction, on its history as it is now,
     * for the next attempt. Should that history no longer make the rules ask, the next attempt may ask
     * under the lock (once): it decides on the history it reads there.
     */
    private void askLlm(Caller caller, Histories histories, int i, ProposedAction action) {
        AgentRegistry.LiveAgent live = histories.live();
        List<RecentActions> history = jdbi.withHandle(handle -> HistoryFacts.read(handle, caller.organizationId(),
                live.compiled().agentId(), action, histories.windows().get(i), false));
        LlmVerdict verdict = pipeline.evaluateWithHistory(histories.ruleSet(), live.compiled(), live.paused(), action,
                history).llmVerdict();
        if (verdict != null) {
            histories.verdicts().put(i, verdict);
        } else {
            histories.askUnderLock().add(i);
        }
    }

    /**
     * The evaluation of action {@code i}: as made before the transaction or, for an action a window covers,
     * made now, under the agent's lock taken at the transaction's start, on the history its other windowed
     * decisions left, so concurrent proposals count each other exactly. Such an evaluation replaces the empty
     * entry in {@code evaluations}, with its latency.
     */
    private Evaluation decided(Handle handle, Caller caller, Histories histories, int i, ProposedAction action,
                               List<Evaluation> evaluations, List<Long> latencies) {
        List<HistoryWindow> windows = histories.windows().get(i);
        if (windows.isEmpty()) {
            return evaluations.get(i);
        }
        long started = System.nanoTime();
        List<RecentActions> history = HistoryFacts.lockAndRead(handle, caller.organizationId(),
                histories.live().compiled().agentId(), action, windows);
        Evaluation evaluation = histories.askUnderLock().contains(i)
                ? pipeline.evaluateWithHistory(histories.ruleSet(), histories.live().compiled(),
                        histories.live().paused(), action, history)
                : pipeline.evaluateWithoutAsking(histories.ruleSet(), histories.live().compiled(),
                        histories.live().paused(), action, histories.verdicts().get(i), history)
                        .orElseThrow(() -> new LlmWanted(i));
        evaluations.set(i, evaluation);
        latencies.set(i, (System.nanoTime() - started) / 1_000);
        return evaluation;
    }

    /** Takes the evaluation's constraint slots; the first one refused rejects the action and gives the others back. */
    private static Evaluation claim(Handle handle, CompiledAgent agent, ProposedAction action, Evaluation evaluation,
                                    String savepoint) {
        if (evaluation.claims().isEmpty()) {
            return evaluation;
        }
        QuotaDao quotas = handle.attach(QuotaDao.class);
        handle.savepoint(savepoint);
        for (QuotaClaim claim : evaluation.claims()) {
            boolean taken = claim.kind().equals("DAILY")
                    ? quotas.takeDaily(agent.agentId(), claim.limit()).isPresent()
                    : quotas.takeCooldown(agent.agentId(), action.contactId(), action.actionType(), claim.limit()).isPresent();
            if (!taken) {
                handle.rollbackToSavepoint(savepoint);
                return evaluation.rejectedBy(claim);
            }
        }
        handle.release(savepoint);
        return evaluation;
    }

    private static ApprovalRequest approvalRequest(Caller caller, CompiledAgent agent, UUID decisionId,
                                                   ProposedAction action, Evaluation evaluation, String secret) {
        var config = agent.spec().actionConfig();
        ApprovalRequestFact fact = new ApprovalRequestFact("ACTION", agent.agentId().toString(), action.actionType(),
                evaluation.scope(), evaluation.riskScore(), config.requiredApprovals(), config.approvalTimeoutSeconds(),
                agent.spec().industryProfile(), evaluation.reasons(), caller.principal(), caller.isAdmin());
        fact = fact.withHardReasons(evaluation.hardReasons());
        return new ApprovalRequest(fact, caller.organizationId(), agent.agentId(), decisionId, agent.blueprintVersion(),
                summary(action, evaluation), evaluation.reasons(), config.callbackUrl(), secret);
    }

    private static Map<String, Object> summary(ProposedAction action, Evaluation evaluation) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("actionType", action.actionType());
        summary.put("scope", evaluation.scope());
        summary.put("confidence", action.confidence());
        summary.put("contactId", action.contactId());
        summary.put("payload", action.payload());
        summary.put("reasoning", action.reasoning());
        return summary;
    }

    private static Map<String, Object> audited(CompiledAgent agent, ProposedAction action, DecisionView view,
                                               String traceId) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("traceId", traceId);
        entry.put("agentId", agent.agentId());
        entry.put("deploymentId", agent.deploymentId());
        entry.put("agentVersion", agent.blueprintVersion());
        entry.put("decision", view);
        entry.put("input", action);
        return entry;
    }

    private Optional<DecisionResponse> stored(UUID agentId, String key, String requestHash) {
        return jdbi.withExtension(IdempotencyDao.class, dao -> dao.find(agentId, key)).map(stored -> {
            if (!stored.requestHash().equals(requestHash)) {
                throw new ApiException(422, "idempotency_key_reused", "Idempotency-Key " + key
                        + " was used for a different request; use a new key for a new request", List.of());
            }
            return Json.read(stored.response(), DecisionResponse.class);
        });
    }

    /**
     * An AGENT token acts only for the agent it is bound to (an agent of its organization, checked
     * when it was minted); ADMIN for any agent of its organization. Checked before the
     * idempotency look-up, which is keyed by agent: another organization's agent does not exist.
     */
    private void authorize(Caller caller, UUID agentId) {
        if (caller.has(Role.AGENT) && agentId.equals(caller.agentId())) {
            return;
        }
        if (caller.isAdmin()) {
            if (registry.find(agentId).filter(a -> a.compiled().organizationId().equals(caller.organizationId()))
                    .isEmpty()) {
                blueprints.get(caller.organizationId(), agentId);
            }
            return;
        }
        throw new ForbiddenException("this token may not act for agent " + agentId
                + ": use an AGENT token bound to it (POST /api/tokens with agentId)");
    }

    private AgentRegistry.LiveAgent liveAgent(Caller caller, UUID agentId) {
        Optional<AgentRegistry.LiveAgent> live = registry.find(agentId)
                .filter(a -> a.compiled().organizationId().equals(caller.organizationId()));
        if (live.isPresent()) {
            return live.get();
        }
        Blueprint blueprint = blueprints.get(caller.organizationId(), agentId);
        throw new ConflictException("agent " + agentId + " is not deployed (status " + blueprint.status()
                + "): deploy it before it proposes actions");
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class KeyTakenException extends RuntimeException {
        KeyTakenException() {
            super(null, null, false, false);
        }
    }
}
