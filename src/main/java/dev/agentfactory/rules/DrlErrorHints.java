package dev.agentfactory.rules;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the DRL parser's terse complaints ({@code [ERR 102] Line 34:77 mismatched input 'from'})
 * into a plain sentence that says what is probably missing, by looking at the rule text around the
 * place the parser gave up: an unclosed or surplus parenthesis, a missing {@code then} or {@code end},
 * a missing semicolon. The original message is always kept beside it.
 */
final class DrlErrorHints {
    private static final Pattern MISMATCHED = Pattern.compile("Line (\\d+):(\\d+) mismatched input '(.*?)'");
    private static final Pattern NO_VIABLE = Pattern.compile("Line (\\d+):(\\d+) no viable alternative at input '(.*?)'");
    private static final Pattern RULE_START = Pattern.compile("^\\s*rule\\s");
    private static final Pattern IN_RULE = Pattern.compile("in rule \"(.*?)\"");

    private DrlErrorHints() {
    }

    /** A plain sentence for {@code message}, reported on {@code text} (the whole file), if one fits. */
    static Optional<String> hint(String message, String text) {
        if (message == null) {
            return Optional.empty();
        }
        if (message.contains("insert \";\" to complete")) {
            return Optional.of("a ';' is probably missing at the end of a statement in the 'then' part of this rule");
        }
        Matcher parser = MISMATCHED.matcher(message);
        boolean mismatched = parser.find();
        if (!mismatched) {
            parser = NO_VIABLE.matcher(message);
            if (!parser.find()) {
                return Optional.empty();
            }
        }
        int line = Integer.parseInt(parser.group(1));
        int column = Integer.parseInt(parser.group(2));
        String input = parser.group(3);
        if (input.equals("<EOF>")) {
            return Optional.of("the file ends in the middle of a rule: an 'end' (or a closing ')') is probably missing");
        }
        if (text == null) {
            return Optional.empty();
        }
        List<String> lines = text.lines().toList();
        int ruleLine = namedRule(message, lines, line);
        int nextRule = nextRule(lines, ruleLine, line);
        if (nextRule > 0 && !hasKeyword(lines, ruleLine, nextRule, "end")) {
            return Optional.of("the rule that starts at line " + ruleLine + " has no 'end' before the next rule at line "
                    + nextRule + ": every rule closes with 'end'");
        }
        Optional<String> parentheses = parentheses(lines, ruleLine, line, column, input);
        if (parentheses.isPresent()) {
            return parentheses;
        }
        if (input.equals("end") && !hasKeyword(lines, ruleLine, line, "then")) {
            return Optional.of("'then' is probably missing before 'end' at line " + line
                    + ": a rule reads rule \"...\" when <conditions> then <actions> end");
        }
        if (input.equals("then") && !hasKeyword(lines, ruleLine, line, "when")) {
            return Optional.of("'when' is probably missing before 'then' at line " + line);
        }
        return Optional.of("Drools did not expect '" + input + "' at line " + line + ", column " + (column + 1)
                + ": look just before it for a typo, a missing ',' or '&&', or an unclosed quote");
    }

    /**
     * Walks the rule from its first line to the error, outside strings and comments: a '(' still open
     * there means a ')' is missing; a ')' with nothing open means one too many.
     */
    private static Optional<String> parentheses(List<String> lines, int fromLine, int line, int column, String input) {
        Deque<int[]> open = new ArrayDeque<>();
        boolean inBlockComment = false;
        for (int l = fromLine; l <= line && l <= lines.size(); l++) {
            String text = lines.get(l - 1);
            int end = l == line ? Math.min(column, text.length()) : text.length();
            boolean inString = false;
            for (int c = 0; c < end; c++) {
                char ch = text.charAt(c);
                if (inBlockComment) {
                    if (text.startsWith("*/", c)) {
                        inBlockComment = false;
                        c++;
                    }
                } else if (inString) {
                    if (ch == '\\') {
                        c++;
                    } else if (ch == '"') {
                        inString = false;
                    }
                } else if (ch == '"') {
                    inString = true;
                } else if (text.startsWith("//", c)) {
                    break;
                } else if (text.startsWith("/*", c)) {
                    inBlockComment = true;
                    c++;
                } else if (ch == '(') {
                    open.push(new int[] {l, c + 1});
                } else if (ch == ')') {
                    if (open.isEmpty()) {
                        return Optional.of("there is one ')' too many at line " + l + ", column " + (c + 1)
                                + ": it closes nothing");
                    }
                    open.pop();
                }
            }
        }
        if (input.equals(")") && open.isEmpty()) {
            return Optional.of("there is one ')' too many at line " + line + ", column " + (column + 1)
                    + ": it closes nothing");
        }
        if (open.isEmpty()) {
            return Optional.empty();
        }
        int[] unclosed = open.peek();
        return Optional.of("a ')' is probably missing before '" + input + "' at line " + line + ", column " + (column + 1)
                + ": the '(' at line " + unclosed[0] + ", column " + unclosed[1] + " is never closed");
    }

    /** The line (from 1) where the rule the message names starts, else the last rule start before {@code line}. */
    private static int namedRule(String message, List<String> lines, int line) {
        Matcher named = IN_RULE.matcher(message);
        if (named.find()) {
            String header = "\"" + named.group(1) + "\"";
            for (int l = 1; l <= Math.min(line, lines.size()); l++) {
                if (RULE_START.matcher(lines.get(l - 1)).find() && lines.get(l - 1).contains(header)) {
                    return l;
                }
            }
        }
        for (int l = Math.min(line, lines.size()); l >= 1; l--) {
            if (RULE_START.matcher(lines.get(l - 1)).find()) {
                return l;
            }
        }
        return 1;
    }

    /** The first rule start after {@code ruleLine} and at or before {@code line}; 0 when there is none. */
    private static int nextRule(List<String> lines, int ruleLine, int line) {
        for (int l = ruleLine + 1; l <= Math.min(line, lines.size()); l++) {
            if (RULE_START.matcher(lines.get(l - 1)).find()) {
                return l;
            }
        }
        return 0;
    }

    private static boolean hasKeyword(List<String> lines, int from, int to, String keyword) {
        Pattern word = Pattern.compile("^\\s*" + keyword + "\\b");
        for (int l = from; l < to && l <= lines.size(); l++) {
            if (word.matcher(lines.get(l - 1)).find()) {
                return true;
            }
        }
        return false;
    }
}
