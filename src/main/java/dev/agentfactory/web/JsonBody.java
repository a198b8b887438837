package dev.agentfactory.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads request bodies into records and turns every Jackson complaint into a 400 that names the
 * field and says what was expected. Text PostgreSQL cannot store (NUL, lone surrogates), in a
 * value or a key, is a 400 too.
 */
public final class JsonBody {
    private JsonBody() {
    }

    public static <T> T read(Context ctx, Class<T> type) {
        return convert(tree(ctx), type);
    }

    /** The body as a JSON object; anything else (empty, malformed, an array, unstorable text) is a 400. */
    public static JsonNode tree(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw new BadRequestException("body", "the request body is empty; a JSON object is expected");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonParseException e) {
            throw new BadRequestException("body", "malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            throw problem(e);
        } catch (IOException e) {
            throw new BadRequestException("body", "unreadable body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("body", "a JSON object is expected");
        }
        StorableText.require(node);
        return node;
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            throw problem(e);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("body", e.getOriginalMessage());
        }
    }

    private static BadRequestException problem(JsonMappingException e) {
        String field = path(e.getPath());
        String problem;
        if (e instanceof UnrecognizedPropertyException unknown) {
            problem = "unknown field; allowed fields here: " + unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
        } else if (e instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()) {
            problem = "'" + invalid.getValue() + "' is not allowed; allowed values: "
                    + Arrays.stream(invalid.getTargetType().getEnumConstants())
                            .map(Object::toString).collect(Collectors.joining(", "));
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && mismatch.getTargetType().isEnum()) {
            problem = "must be a string, one of: " + Arrays.stream(mismatch.getTargetType().getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", "));
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            problem = "expected " + describe(mismatch.getTargetType());
        } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
            problem = e.getCause().getMessage();
        } else {
            problem = e.getOriginalMessage();
        }
        return new BadRequestException("invalid " + (field.isEmpty() ? "body" : field) + ": " + problem,
                List.of(new FieldProblem(field.isEmpty() ? "body" : field, problem)));
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return type == Integer.class || type == int.class || type == Long.class || type == long.class
                    ? "an integer" : "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
