package dev.agentfactory.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits rule text into the tokens the policy check looks at: identifiers, numbers, string
 * literals and punctuation, each with its line. Comments and white space are dropped. It lexes the
 * way Java and Drools do for everything the policy accepts; for anything it cannot be sure how
 * Java, MVEL and the DRL parser would all read (unicode escapes, text blocks, characters outside
 * ASCII in code) it reports a problem instead of guessing, and the file is refused.
 */
final class DrlTokens {
    enum Kind { IDENTIFIER, NUMBER, STRING, PUNCTUATION }

    record Token(Kind kind, String text, int line) {
        boolean is(String value) {
            return kind != Kind.STRING && text.equals(value);
        }
    }

    /** A token list, or the first place the text cannot be lexed with certainty. */
    record Result(List<Token> tokens, RuleProblem problem) {
    }

    /** What is wrong at a line; the caller adds the file. */
    record RuleProblem(int line, String message) {
    }

    private final String text;
    private int pos;
    private int line = 1;

    private DrlTokens(String text) {
        this.text = text;
    }

    static Result lex(String text) {
        return new DrlTokens(text).run();
    }

    private Result run() {
        RuleProblem escape = unicodeEscape();
        if (escape != null) {
            return new Result(List.of(), escape);
        }
        List<Token> tokens = new ArrayList<>();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (text.startsWith("//", pos)) {
                skipTo("\n", false);
            } else if (text.startsWith("/*", pos)) {
                int start = line;
                if (!skipTo("*/", true)) {
                    return new Result(tokens, new RuleProblem(start, "a /* comment is never closed"));
                }
            } else if (text.startsWith("\"\"\"", pos)) {
                return new Result(tokens, new RuleProblem(line, "text blocks (\"\"\") are not allowed in rules"));
            } else if (c == '\'') {
                // DRL's lexer rewrites 'a"b' into "a"b": the quotes inside escape the check's string
                return new Result(tokens, new RuleProblem(line, "single-quoted strings are not allowed in rules: Drools "
                        + "turns '...' into \"...\" without escaping the quotes inside; write \"...\""));
            } else if (c == '"') {
                int start = line;
                String literal = string(c);
                if (literal == null) {
                    return new Result(tokens, new RuleProblem(start, "a string literal is never closed"));
                }
                tokens.add(new Token(Kind.STRING, literal, start));
            } else if (c >= '0' && c <= '9') {
                tokens.add(new Token(Kind.NUMBER, number(), line));
            } else if (c < 128 && Character.isJavaIdentifierStart(c)) {
                int start = pos;
                while (pos < text.length() && text.charAt(pos) < 128 && Character.isJavaIdentifierPart(text.charAt(pos))) {
                    pos++;
                }
                if (pos < text.length() && text.charAt(pos) >= 128) {
                    return new Result(tokens, new RuleProblem(line, "a name contains a character outside ASCII"));
                }
                tokens.add(new Token(Kind.IDENTIFIER, text.substring(start, pos), line));
            } else if (c < 128) {
                tokens.add(new Token(Kind.PUNCTUATION, String.valueOf(c), line));
                pos++;
            } else {
                return new Result(tokens, new RuleProblem(line, "character U+" + String.format("%04X", (int) c)
                        + " is only allowed inside strings and comments"));
            }
        }
        return new Result(tokens, null);
    }

    /**
     * Java turns {@code \}{@code uXXXX} into characters before it lexes anything, in strings and
     * comments too, so such an escape could end a comment or a string behind the check's back. A
     * backslash starts one only after an even number of backslashes (JLS 3.3).
     */
    private RuleProblem unicodeEscape() {
        int lineNumber = 1;
        int backslashes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lineNumber++;
            }
            if (c == 'u' && backslashes % 2 == 1) {
                return new RuleProblem(lineNumber, "unicode escapes (\\uXXXX) are not allowed in rules: write the character itself");
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
        }
        return null;
    }

    private boolean skipTo(String end, boolean consumeEnd) {
        int found = text.indexOf(end, pos);
        int stop = found < 0 ? text.length() : found + (consumeEnd ? end.length() : 0);
        for (int i = pos; i < stop; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        pos = stop;
        return found >= 0;
    }

    /** The literal's content, escapes kept as written; null when it never closes. */
    private String string(char quote) {
        int start = ++pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                    line++;
                }
                pos += 2;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            if (c == quote) {
                pos++;
                return text.substring(start, pos - 1);
            }
            pos++;
        }
        return null;
    }

    /**
     * A Java number literal: decimal, hex or with an exponent and a type suffix. It stops where a
     * literal stops, so {@code 1.0d.getClass()} lexes as a number followed by {@code .getClass}.
     */
    private String number() {
        int start = pos;
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            pos += 2;
            while (pos < text.length() && (Character.digit(text.charAt(pos), 16) >= 0 || text.charAt(pos) == '_')) {
                pos++;
            }
        } else {
            digits();
            if (pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isDigit(text.charAt(pos + 1))) {
                pos++;
                digits();
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                int mark = pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    digits();
                } else {
                    pos = mark;
                }
            }
        }
        if (pos < text.length() && "lLfFdD".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void digits() {
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
    }
}
