package dev.agentfactory.bench;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Numbers read out of a load tool's printed summary (wrk, hey). */
final class ToolOutput {
    private ToolOutput() {
    }

    /** The first group of {@code regex} as a number; the whole output in the error when it is not there. */
    static double number(String tool, String output, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(output);
        if (!m.find()) {
            throw new IOException("unexpected " + tool + " output:\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }

    static double numberOr(String output, String regex, double fallback) {
        Matcher m = Pattern.compile(regex).matcher(output);
        return m.find() ? Double.parseDouble(m.group(1)) : fallback;
    }
}
