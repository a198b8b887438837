package dev.agentfactory.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.FieldProblem;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.JsonBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * JSON files the offline commands read, checked the way the server checks request bodies (the same
 * field-naming messages); anything wrong is a {@link BadInput}, exit code 2.
 */
final class InputFiles {
    static final int BAD_INPUT = 2;

    /** A file that cannot be used, and why; the command prints the message and exits 2. */
    static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message);
        }
    }

    private InputFiles() {
    }

    static JsonNode tree(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadInput(file + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw new BadInput(file + ": a JSON object is expected");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadInput(file + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }

    /** {@code node} as {@code type}, or a BadInput naming the file and the field, as the API's 400 would. */
    static <T> T convert(Path file, JsonNode node, Class<T> type) {
        try {
            return JsonBody.convert(node, type);
        } catch (BadRequestException e) {
            throw badInput(file, e);
        }
    }

    static BadInput badInput(Path file, BadRequestException e) {
        String details = e.details().stream().filter(FieldProblem.class::isInstance).map(FieldProblem.class::cast)
                .map(p -> "  " + p.field() + ": " + p.problem()).collect(Collectors.joining("\n"));
        return new BadInput(file + ": " + e.getMessage() + (details.isEmpty() ? "" : "\n" + details));
    }
}
