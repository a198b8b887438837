package dev.agentfactory.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.audit.CanonicalJson;
import dev.agentfactory.web.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The digest an action's arguments are bound by: SHA-256 of the canonical JSON (keys sorted, numbers
 * plain) of its action type, contact and payload. The same arguments give the same digest however
 * they were spelled, so an agent can compute it itself.
 */
public final class ArgumentsDigest {
    private ArgumentsDigest() {
    }

    public static String of(String actionType, String contactId, Map<String, Object> payload) {
        return of(actionType, contactId, payload == null ? null : (JsonNode) Json.MAPPER.valueToTree(payload));
    }

    public static String of(String actionType, String contactId, JsonNode payload) {
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        arguments.put("actionType", actionType);
        arguments.put("contactId", contactId);
        arguments.set("payload", payload == null || payload.isNull() ? Json.MAPPER.createObjectNode() : payload);
        return "sha256:" + sha256(CanonicalJson.of(arguments));
    }

    /** The digest of an action as stored ({@code decisions.input} or {@code approved_input}). */
    public static String ofStored(String actionType, String storedInput) {
        JsonNode input = Json.read(storedInput, JsonNode.class);
        return of(actionType, input.path("contactId").isTextual() ? input.get("contactId").asText() : null,
                input.get("payload"));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
