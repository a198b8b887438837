package dev.agentfactory.rules;

/**
 * Turns blueprint values into DRL/Java string literals for the agent templates. Values are data,
 * never code: quotes, backslashes and line breaks are escaped, so a value containing {@code "},
 * {@code end}, {@code then} or Java stays inside its literal. Escaping the backslash first also
 * defuses Java's unicode escapes ({@code \\u0022} is no longer one).
 */
final class DrlLiterals {
    private DrlLiterals() {
    }

    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        // other control characters have no business in a blueprint value
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        return Double.toString(value);
    }
}
