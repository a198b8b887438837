package dev.agentfactory.rules;

import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.QuotaClaim;
import dev.agentfactory.web.Json;
import java.util.List;

/**
 * What a decision depended on besides its input, its agent version and its bundle: state at the
 * time that replay and explain take as it was instead of re-deciding it. Stored beside the decision
 * ({@code decisions.recorded}) only when something applied, so the common decision stores nothing.
 *
 * @param paused the agent was paused
 * @param llm the LLM's verdict (or why none was used), when the rules consulted it
 * @param refusedClaim the constraint the database refused ({@code DAILY} or {@code COOLDOWN}), else null
 */
public record RecordedState(boolean paused, LlmVerdict llm, String refusedClaim) {
    public static final RecordedState NONE = new RecordedState(false, null, null);

    /**
     * The state of a stored decision.
     *
     * @param decided the evaluation as the pipeline returned it; {@code stored} after the database claimed its constraints
     */
    public static RecordedState of(boolean paused, Evaluation decided, Evaluation stored) {
        return of(paused, decided, stored.decision(), stored.reasons());
    }

    /** The state of a decision stored as {@code storedDecision} with {@code storedReasons}. */
    public static RecordedState of(boolean paused, Evaluation decided, Decision storedDecision,
                                   List<String> storedReasons) {
        String refused = null;
        if (storedDecision == Decision.REJECT && decided.decision() != Decision.REJECT) {
            refused = decided.claims().stream().filter(c -> storedReasons.contains(c.reason())).map(QuotaClaim::kind)
                    .findFirst().orElse(null);
        }
        return new RecordedState(paused, decided.llmVerdict(), refused);
    }

    /** The JSON to store, or null when nothing applied. */
    public String json() {
        return paused || llm != null || refusedClaim != null ? Json.write(this) : null;
    }

    public static RecordedState read(String json) {
        return json == null ? NONE : Json.read(json, RecordedState.class);
    }

    /** The evaluation as the database would have stored it: a refused constraint rejects it again. */
    public Evaluation claimed(Evaluation evaluation) {
        if (refusedClaim == null) {
            return evaluation;
        }
        return evaluation.claims().stream().filter(c -> c.kind().equals(refusedClaim)).findFirst()
                .map(evaluation::rejectedBy).orElse(evaluation);
    }
}
