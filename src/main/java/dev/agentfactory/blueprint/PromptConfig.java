package dev.agentfactory.blueprint;

import java.util.Map;

/** How the agent's LLM is prompted: a template with variables, or custom prompts. */
public record PromptConfig(String promptTemplateId, Map<String, Object> promptVariables, String customSystemPrompt,
                           String customUserPromptTemplate) {
    public PromptConfig {
        promptVariables = Copies.map(promptVariables);
    }

    static PromptConfig defaults() {
        return new PromptConfig(null, null, null, null);
    }
}
