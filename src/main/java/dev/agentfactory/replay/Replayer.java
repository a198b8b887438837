package dev.agentfactory.replay;

import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.AgentCompileException;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.RecordedState;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Re-decides stored decisions against a candidate: each decision's stored input, its agent's
 * version (or the candidate version), and the state it depended on as recorded (paused, the LLM's
 * answer, a constraint the database refused). Pages through the window by id, so a run holds one
 * page and the report's counters, whatever the window's size. Nothing is stored, no LLM is asked.
 */
public final class Replayer {
    static final int PAGE = 500;
    /** Used when the candidate consults the LLM where the live decision did not: nothing was recorded to replay. */
    public static final LlmVerdict NOT_RECORDED = new LlmVerdict(false, false,
            "replay: the live decision did not consult the LLM, so there is no recorded answer");

    private final Jdbi jdbi;
    private final ActionPipeline pipeline;

    public Replayer(Jdbi jdbi, ActionPipeline pipeline) {
        this.jdbi = jdbi;
        this.pipeline = pipeline;
    }

    public ImpactReport run(Candidate candidate, Window window) {
        AgentVersions agents = new AgentVersions(jdbi);
        ImpactReport report = new ImpactReport(candidate, window);
        UUID after = new UUID(0, 0);
        int left = window.limit();
        long started = System.nanoTime();
        while (left > 0) {
            int size = Math.min(PAGE, left);
            UUID from = after;
            List<StoredDecisionDao.Stored> page = jdbi.withExtension(StoredDecisionDao.class, dao -> dao.page(
                    window.organizationId(), window.agentId(), window.from(), window.to(), from, size));
            for (StoredDecisionDao.Stored stored : page) {
                replay(candidate, agents, stored, report);
            }
            if (page.size() < size) {
                break;
            }
            left -= page.size();
            after = page.get(page.size() - 1).id();
        }
        report.finish((System.nanoTime() - started) / 1_000_000);
        return report;
    }

    private void replay(Candidate candidate, AgentVersions agents, StoredDecisionDao.Stored stored,
                        ImpactReport report) {
        CompiledAgent agent;
        try {
            agent = agents.get(candidate.templates(), stored.organizationId(), stored.agentId(),
                    candidate.versionFor(stored.agentId(), stored.blueprintVersion()));
        } catch (NotFoundException | AgentCompileException e) {
            report.notReplayed(stored, e.getMessage());
            return;
        }
        RecordedState state = RecordedState.read(stored.recorded());
        ProposedAction action = Json.read(stored.input(), ProposedAction.class);
        Evaluation evaluation = state.claimed(pipeline.evaluate(candidate.rules(), agent, state.paused(), action,
                state.llm() != null ? state.llm() : NOT_RECORDED));
        report.add(stored, state, evaluation, evaluation.llmVerdict() == NOT_RECORDED);
    }
}
