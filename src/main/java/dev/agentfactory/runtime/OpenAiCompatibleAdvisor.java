package dev.agentfactory.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.web.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible chat-completions client. It asks for a JSON object
 * {@code {"requireHuman": true|false, "reason": "..."}} and treats anything else (an error status,
 * a timeout, prose, a missing field) as a failure, which the rules turn into a RiskBased decision.
 */
public final class OpenAiCompatibleAdvisor implements LlmAdvisor {
    private static final Logger log = LoggerFactory.getLogger(OpenAiCompatibleAdvisor.class);
    private static final String SYSTEM_PROMPT = """
            You are a governance reviewer for AI agents. Decide whether a human must approve the proposed action \
            before it runs. Answer with one JSON object and nothing else: \
            {"requireHuman": true or false, "reason": "one short sentence"}.""";

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient client;

    public OpenAiCompatibleAdvisor(String url, String model, String apiKey, Duration timeout) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.endpoint = URI.create(trimmed.endsWith("/chat/completions") ? trimmed : trimmed + "/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public LlmVerdict advise(LlmQuestion question) {
        String body = Json.write(Map.of(
                "model", model,
                "temperature", 0,
                "response_format", Map.of("type", "json_object"),
                "messages", List.of(
                        Map.of("role", "system", "content", SYSTEM_PROMPT),
                        Map.of("role", "user", "content", Json.write(question)))));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return failed("the LLM answered HTTP " + response.statusCode());
            }
            return parse(response.body());
        } catch (HttpTimeoutException e) {
            return failed("the LLM did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted while asking the LLM");
        } catch (Exception e) {
            return failed("the LLM could not be reached: " + e.getClass().getSimpleName());
        }
    }

    static LlmVerdict parse(String body) {
        try {
            JsonNode content = Json.read(body, JsonNode.class).path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                return failed("the LLM's answer has no message content");
            }
            String text = content.asText().trim();
            if (text.startsWith("```")) {
                text = text.replaceAll("^```(json)?\\s*", "").replaceAll("\\s*```$", "");
            }
            JsonNode answer = Json.read(text, JsonNode.class);
            JsonNode requireHuman = answer.get("requireHuman");
            if (requireHuman == null || !requireHuman.isBoolean()) {
                return failed("the LLM's answer is not {\"requireHuman\": true|false, \"reason\": ...}");
            }
            String reason = answer.path("reason").isTextual() ? answer.get("reason").asText() : "no reason given";
            return new LlmVerdict(true, requireHuman.asBoolean(), reason.length() > 300 ? reason.substring(0, 300) : reason);
        } catch (RuntimeException e) {
            return failed("the LLM's answer is not JSON");
        }
    }

    private static LlmVerdict failed(String why) {
        log.warn("LLM not used: {}", why);
        return new LlmVerdict(false, false, why);
    }
}
