package dev.agentfactory.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Text PostgreSQL can keep as it came: it refuses U+0000 in {@code text} and {@code jsonb}, and a
 * lone UTF-16 surrogate has no UTF-8 form (the driver would store {@code ?}). Such input is a 400
 * naming the field, before anything is written.
 */
final class StorableText {
    private StorableText() {
    }

    /** What makes {@code text} unstorable, or empty when it can be stored. */
    static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of("contains U+0000 (NUL), which cannot be stored");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("contains a lone UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase()
                        + "), which cannot be stored");
            }
        }
        return Optional.empty();
    }

    /** Every string and every object key in {@code body}; the first unstorable one is a 400 naming its path. */
    static void require(JsonNode body) {
        walk(body, "");
    }

    private static void walk(JsonNode node, String path) {
        if (node.isTextual()) {
            problem(node.textValue()).ifPresent(problem -> {
                throw failure(path, problem);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path.isEmpty() ? shown(field.getKey()) : path + "." + shown(field.getKey());
                Optional<String> keyProblem = problem(field.getKey());
                if (keyProblem.isPresent()) {
                    throw failure(fieldPath, "the key " + keyProblem.get());
                }
                walk(field.getValue(), fieldPath);
            }
        }
    }

    private static BadRequestException failure(String path, String problem) {
        String field = path.isEmpty() ? "body" : path;
        return new BadRequestException("invalid " + field + ": " + problem, List.of(new FieldProblem(field, problem)));
    }

    /** A key as a path segment a person can read and a log line can carry: unstorable characters escaped. */
    private static String shown(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(i + 1));
            if (pair) {
                out.append(c).append(key.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
