package dev.agentfactory.llm;

import dev.agentfactory.rules.model.LlmVerdict;

/** Asks an LLM whether a human must approve an action. Never throws: a failure is a verdict with used=false. */
public interface LlmAdvisor {
    LlmVerdict advise(LlmQuestion question);

    /** The fallback when no LLM is configured: LLMDecision agents are decided as RiskBased, and told so. */
    LlmAdvisor NONE = question -> new dev.agentfactory.rules.model.LlmVerdict(false, false,
            "no LLM is configured: set AF_LLM_URL");
}
