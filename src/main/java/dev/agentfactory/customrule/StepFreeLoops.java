package dev.agentfactory.customrule;

import java.util.Optional;

/**
 * The regex constructs that let Java's engine work without reading a character, which the step
 * budget of {@link BoundedPattern} counts: {@code (?:(?:(?:){999}){999}){999}} repeats an empty group
 * a billion times, {@code (|)(|)(|)...} backtracks through 2^n empty choices, lookarounds and
 * backreferences match nothing again and again. A pattern may therefore use literals, escapes,
 * character classes, {@code .}, groups, alternatives and quantifiers, with these limits:
 * <ul>
 *   <li>a counted repetition {@code {n,m}} applies to one character (a literal, an escape, a class or
 *       {@code .}), not to a group;</li>
 *   <li>no empty group and no empty alternative;</li>
 *   <li>groups are {@code (...)}, {@code (?:...)} or inline flags such as {@code (?i)}; no lookaround,
 *       atomic or named group, no backreference, no {@code (?x)} (it would hide empty groups);</li>
 *   <li>{@code ^} only first and {@code $} only last; no {@code \A \G \z \Z} and no empty {@code \Q\E}.</li>
 * </ul>
 * Every loop or choice left then reads a character to go on, so the budget bounds the search.
 */
final class StepFreeLoops {
    private final String regex;
    private int pos;
    /** The last {@code (} read was an inline flag group such as {@code (?i)}, which opens no group. */
    private boolean flagsOnly;

    private StepFreeLoops(String regex) {
        this.regex = regex;
    }

    /** Why {@code regex} (already known to compile) could run without reading, if it could. */
    static Optional<String> problem(String regex) {
        return Optional.ofNullable(new StepFreeLoops(regex).scan());
    }

    private String scan() {
        boolean atomBefore = false;
        boolean groupBefore = false;
        boolean branchOpen = true;
        while (pos < regex.length()) {
            char c = regex.charAt(pos);
            boolean atom = false;
            boolean group = false;
            switch (c) {
                case '\\' -> {
                    String problem = escape();
                    if (problem != null) {
                        return problem;
                    }
                    atom = true;
                }
                case '[' -> {
                    skipClass();
                    atom = true;
                }
                case '(' -> {
                    String problem = openGroup();
                    if (problem != null) {
                        return problem;
                    }
                    if (!flagsOnly) {
                        branchOpen = true;
                    }
                    atomBefore = false;
                    groupBefore = false;
                    continue;
                }
                case ')' -> {
                    if (branchOpen) {
                        return "may not contain an empty group or an empty alternative (they match nothing "
                                + "over and over)";
                    }
                    group = true;
                    pos++;
                }
                case '|' -> {
                    if (branchOpen) {
                        return "may not contain an empty alternative";
                    }
                    branchOpen = true;
                    pos++;
                    atomBefore = false;
                    groupBefore = false;
                    continue;
                }
                case '{' -> {
                    if (groupBefore) {
                        return "may repeat a group only with ?, * or +: a counted repetition {n,m} applies to one "
                                + "character, class or escape";
                    }
                    if (!atomBefore) {
                        return "has a counted repetition {n,m} that repeats nothing";
                    }
                    pos = regex.indexOf('}', pos) + 1;
                    skipQuantifierSuffix();
                    atomBefore = false;
                    groupBefore = true; // a repeated repetition is a loop of loops
                    continue;
                }
                case '?', '*', '+' -> {
                    pos++;
                    skipQuantifierSuffix();
                    atomBefore = false;
                    groupBefore = true;
                    continue;
                }
                case '^' -> {
                    if (pos != 0 && !onlyFlagsBefore(pos)) {
                        return "may use ^ only at its start";
                    }
                    pos++;
                }
                case '$' -> {
                    if (pos != regex.length() - 1) {
                        return "may use $ only at its end";
                    }
                    pos++;
                }
                default -> {
                    atom = true;
                    pos++;
                }
            }
            atomBefore = atom;
            groupBefore = group;
            branchOpen = false;
        }
        return branchOpen && regex.endsWith("|") ? "may not end with an empty alternative" : null;
    }

    /** {@code \x} at pos; moves past it. */
    private String escape() {
        if (pos + 1 >= regex.length()) {
            pos++;
            return null;
        }
        char e = regex.charAt(pos + 1);
        if ("AGzZ".indexOf(e) >= 0) {
            return "may not use \\" + e + ": use ^ at the start or $ at the end";
        }
        if (e == 'k' || (e >= '1' && e <= '9')) {
            return "may not use backreferences";
        }
        if (e == 'Q') {
            int end = regex.indexOf("\\E", pos + 2);
            int stop = end < 0 ? regex.length() : end;
            if (stop == pos + 2) {
                return "may not quote nothing (\\Q\\E)";
            }
            pos = end < 0 ? regex.length() : end + 2;
            return null;
        }
        pos += 2;
        if ((e == 'p' || e == 'P' || e == 'x' || e == 'N') && pos < regex.length() && regex.charAt(pos) == '{') {
            pos = regex.indexOf('}', pos) + 1;
        }
        return null;
    }

    /** A character class at pos, nested classes and escapes included; moves past its closing bracket. */
    private void skipClass() {
        int depth = 0;
        while (pos < regex.length()) {
            char c = regex.charAt(pos);
            if (c == '\\') {
                pos += 2;
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                pos++;
                return;
            }
            pos++;
        }
    }

    /** {@code (}, {@code (?:} or an inline flag group at pos; moves past its opening. */
    private String openGroup() {
        flagsOnly = false;
        if (!regex.startsWith("(?", pos)) {
            pos++;
            return null;
        }
        int i = pos + 2;
        while (i < regex.length() && (Character.isLetter(regex.charAt(i)) || regex.charAt(i) == '-')) {
            i++;
        }
        String flags = regex.substring(pos + 2, i);
        char next = i < regex.length() ? regex.charAt(i) : ')';
        if ((next != ':' && next != ')') || (flags.isEmpty() && next == ')')) {
            return "may use (...), (?:...) and inline flags such as (?i) only: no lookaround, atomic or named group";
        }
        if (flags.indexOf('x') >= 0) {
            return "may not use the flag x (comments mode)";
        }
        flagsOnly = next == ')';
        pos = i + 1;
        return null;
    }

    private void skipQuantifierSuffix() {
        if (pos < regex.length() && (regex.charAt(pos) == '?' || regex.charAt(pos) == '+')) {
            pos++;
        }
    }

    private boolean onlyFlagsBefore(int index) {
        return regex.substring(0, index).matches("(\\(\\?[A-Za-wyz-]+\\))+");
    }
}
