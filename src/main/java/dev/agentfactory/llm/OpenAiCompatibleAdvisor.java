package dev.agentfactory.llm;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible chat-completions client. It asks for a JSON object
 * {@code {"requireHuman": true|false, "reason": "..."}} and treats anything else (an error status,
 * a timeout, an answer over {@value #MAX_ANSWER_BYTES} bytes, prose, a missing field) as a failure,
 * which the rules turn into a RiskBased decision. The whole exchange, body included, gets one
 * deadline: an LLM that trickles its answer is cut off like one that never answers.
 */
public final class OpenAiCompatibleAdvisor implements LlmAdvisor {
    static final int MAX_ANSWER_BYTES = 16 * 1024;
    static final int MAX_REASON = 300;
    private static final Logger log = LoggerFactory.getLogger(OpenAiCompatibleAdvisor.class);

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
        LlmPrompt prompt = LlmPrompt.of(question);
        String body = Json.write(Map.of(
                "model", model,
                "temperature", 0,
                "response_format", Map.of("type", "json_object"),
                "messages", List.of(
                        Map.of("role", "system", "content", prompt.system()),
                        Map.of("role", "user", "content", prompt.user()))));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(request.build(),
                info -> new CappedBody(MAX_ANSWER_BYTES));
        try {
            HttpResponse<String> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                return failed("the LLM answered HTTP " + response.statusCode());
            }
            return parse(response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            return timedOut();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return failed("interrupted while asking the LLM");
        } catch (ExecutionException e) {
            if (causedBy(e, CappedBody.TooLarge.class)) {
                return failed("the LLM's answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            if (causedBy(e, HttpTimeoutException.class)) {
                return timedOut();
            }
            return failed("the LLM could not be reached: " + e.getCause().getClass().getSimpleName());
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
            String reason = answer.path("reason").isTextual() ? printable(answer.get("reason").asText()) : "";
            return new LlmVerdict(true, requireHuman.asBoolean(), reason.isBlank() ? "no reason given" : reason);
        } catch (RuntimeException e) {
            return failed("the LLM's answer is not JSON");
        }
    }

    /**
     * The LLM's reason as it may be stored and shown: at most {@value #MAX_REASON} characters, no
     * control characters (NUL cannot be stored) and no lone surrogates (they would be corrupted).
     */
    static String printable(String reason) {
        StringBuilder out = new StringBuilder();
        for (int c : reason.codePoints().toArray()) {
            if (out.length() + Character.charCount(c) > MAX_REASON) {
                break;
            }
            if (!Character.isISOControl(c) && Character.getType(c) != Character.SURROGATE) {
                out.appendCodePoint(c);
            }
        }
        return out.toString().strip();
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private LlmVerdict timedOut() {
        return failed("the LLM did not answer within " + timeout.toMillis() + " ms");
    }

    private static LlmVerdict failed(String why) {
        log.warn("LLM not used: {}", why);
        return new LlmVerdict(false, false, why);
    }
}
