package dev.agentfactory.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.approval.ApprovalEditCheck;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * An approver's edit of an action's payload, put through the live agent and the live rules as if the
 * agent had proposed it: what the blueprint does not allow, or the rules reject, is refused. A human
 * approves it either way, so the LLM is not asked.
 */
public final class ActionEditCheck implements ApprovalEditCheck {
    private static final LlmVerdict HUMAN = new LlmVerdict(false, true, "edited by an approver: a human approves it");

    private final Jdbi jdbi;
    private final PolicyEngine rules;
    private final AgentRegistry registry;
    private final ActionPipeline pipeline;

    public ActionEditCheck(Jdbi jdbi, PolicyEngine rules, AgentRegistry registry, ActionPipeline pipeline) {
        this.jdbi = jdbi;
        this.rules = rules;
        this.registry = registry;
        this.pipeline = pipeline;
    }

    @Override
    public Rechecked check(UUID organizationId, UUID agentId, UUID decisionId, JsonNode payload) {
        DecisionDao.Row decision = jdbi.withExtension(DecisionDao.class, dao -> dao.find(organizationId, agentId,
                decisionId)).orElseThrow(() -> new NotFoundException("decision " + decisionId));
        AgentRegistry.LiveAgent live = registry.find(agentId)
                .filter(a -> a.compiled().organizationId().equals(organizationId))
                .orElseThrow(() -> new ConflictException("agent " + agentId
                        + " is not deployed: its actions cannot be re-checked, so they cannot be edited"));
        ObjectNode input = (ObjectNode) Json.read(decision.input(), JsonNode.class);
        input.set("payload", payload);
        ProposedAction edited = Json.MAPPER.convertValue(input, ProposedAction.class);
        Evaluation evaluation = pipeline.evaluate(rules.current(), live.compiled(), live.paused(), edited, HUMAN);
        if (evaluation.decision() == Decision.REJECT) {
            throw new ApiException(422, "edit_refused", "the rules refuse the edited action: "
                    + String.join("; ", evaluation.reasons()), evaluation.reasons().stream()
                    .map(reason -> Map.of("field", "payload", "problem", reason)).toList());
        }
        return new Rechecked(evaluation.decision().name(), evaluation.reasons(), evaluation.rulesFired(),
                evaluation.ruleSetVersion());
    }
}
