package dev.agentfactory.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One text per JSON value, whoever wrote it: what an entry's MAC covers must survive the round trip
 * through jsonb, which sorts keys its own way, drops whitespace and rewrites numbers ({@code 1.0E-5}
 * comes back as {@code 0.000010}). So object keys are sorted, numbers are written as plain decimals
 * without trailing zeros, and strings are written as PostgreSQL will store them (the driver turns an
 * unpaired surrogate into {@code ?}). The server stores this text itself, and the verifier
 * recomputes it from whatever jsonb gives back.
 */
public final class CanonicalJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Reads stored jsonb exactly: every number as a BigDecimal, no length limit the database does not have. */
    private static final ObjectMapper EXACT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE)
                            .maxNestingDepth(Integer.MAX_VALUE).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private CanonicalJson() {
    }

    /** The canonical text of a value; null for a missing value or JSON null (stored as SQL NULL). */
    public static String of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The canonical text of JSON text as the database gives it back. */
    static String ofStored(String json) {
        if (json == null) {
            return null;
        }
        try {
            return of(EXACT.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(JsonGenerator generator, JsonNode node) throws IOException {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            fields.replaceAll(f -> Map.entry(storable(f.getKey()), f.getValue()));
            fields.sort(Map.Entry.comparingByKey());
            generator.writeStartObject();
            for (Map.Entry<String, JsonNode> field : fields) {
                generator.writeFieldName(field.getKey());
                write(generator, field.getValue());
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else if (node.isNumber()) {
            if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                // Jackson writes NaN and infinities as strings; so does this, and jsonb keeps them as such.
                generator.writeString(String.valueOf(node.doubleValue()));
            } else {
                generator.writeNumber(plain(node.decimalValue()));
            }
        } else if (node.isBoolean()) {
            generator.writeBoolean(node.booleanValue());
        } else if (node.isNull()) {
            generator.writeNull();
        } else {
            generator.writeString(storable(node.asText()));
        }
    }

    static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    /** The string as PostgreSQL stores it: the JDBC driver replaces each unpaired surrogate with '?'. */
    static String storable(String text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return replaceUnpairedSurrogates(text);
            }
        }
        return text;
    }

    private static String replaceUnpairedSurrogates(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return out.toString();
    }
}
