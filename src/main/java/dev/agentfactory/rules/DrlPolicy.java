package dev.agentfactory.rules;

import dev.agentfactory.rules.DrlTokens.Kind;
import dev.agentfactory.rules.DrlTokens.Token;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.template.parser.DefaultTemplateContainer;
import org.drools.template.parser.RuleTemplate;

/**
 * The policy every rule file passes before any of it is compiled or run. DRL can hold any Java, so a
 * rule file may only speak the fact model ({@link FactModel}): import from it, match its facts,
 * compute with values and insert, modify or delete result facts. Every name in the file must be on
 * the allow-list; {@code function}, {@code global}, {@code declare}, {@code query}, {@code eval},
 * static imports, timers and anything reaching {@code System}, threads, reflection, class loading,
 * files, the network or processes are refused because they are not on it. A violation is reported
 * like a syntax error: file, line, message.
 */
public final class DrlPolicy {
    /** Packages rule files must not claim: the JDK's, Drools' and ours. */
    private static final List<String> RESERVED_PACKAGES = List.of("java", "javax", "jdk", "sun", "com.sun",
            "org.drools", "org.kie", "org.mvel2", "dev.agentfactory");
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    /**
     * drools-templates fills a template in with MVEL, which runs {@code @{...}} and {@code ${...}} tags
     * (and {@code @code{...}}, {@code $if{...}}, ...): only plain column names may appear there.
     */
    private static final Pattern ORB_TAG = Pattern.compile("[@$]([A-Za-z_][A-Za-z0-9_]*)?\\s*\\{([^}]*)}?");

    /** Files that passed, as a bundle has about fifty: several bundles' worth. */
    private static final int KEPT = 1_024;

    /**
     * Files (path and exact text) that passed in this process: a reload checks only the files that changed.
     * The verdict depends on nothing else (the allow-list and the server's classes are fixed for the process).
     */
    private static final Set<Map.Entry<String, String>> PASSED = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(Lru.map(KEPT)));

    private DrlPolicy() {
    }

    /** Checks every file (DRL by path); the problems of all of them, in path order. */
    public static List<RuleError> checkAll(Map<String, String> drlFiles) {
        List<RuleError> errors = new ArrayList<>();
        drlFiles.forEach((file, text) -> {
            Map.Entry<String, String> key = Map.entry(file, text);
            if (!PASSED.contains(key)) {
                List<RuleError> problems = check(file, text);
                if (problems.isEmpty()) {
                    PASSED.add(key);
                }
                errors.addAll(problems);
            }
        });
        return errors;
    }

    /** The problems of one DRL file; empty when it may be compiled. */
    public static List<RuleError> check(String file, String drl) {
        DrlTokens.Result lexed = DrlTokens.lex(drl);
        if (lexed.problem() != null) {
            return List.of(new RuleError(file, lexed.problem().line(), lexed.problem().message()));
        }
        List<RuleError> errors = new Checker(file, lexed.tokens(), Set.of()).run();
        return errors.isEmpty() ? ShadowedNames.check(file, lexed.tokens()) : errors;
    }

    /**
     * The problems of one drools-templates file (an agent template): its {@code @{...}} tags may only
     * name the template's own columns or {@code row.rowNumber} (no {@code ${...}} or other MVEL tags, also
     * not once drools-templates has stripped the comments), and the rule text around them must pass the
     * same check as a DRL file.
     */
    public static List<RuleError> checkTemplate(String file, String template) {
        if (template.isBlank()) {
            return List.of(); // a missing template is the compiler's to report; there is nothing to run
        }
        List<RuleError> errors = new ArrayList<>();
        String[] lines = template.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first >= lines.length || !lines[first].trim().equals("template header")) {
            return List.of(new RuleError(file, first + 1, "a template starts with the line 'template header'"));
        }
        Set<String> columns = new java.util.HashSet<>();
        int i = first + 1;
        for (; i < lines.length && !lines[i].isBlank(); i++) {
            String column = lines[i].trim();
            if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                errors.add(new RuleError(file, i + 1, "template column '" + column + "' must be a plain name"));
            }
            columns.add(column);
        }
        StringBuilder body = new StringBuilder();
        for (int l = 0; l < lines.length; l++) {
            // the header is blanked, not removed, so lines keep their numbers
            body.append(fillTags(file, l <= i ? "" : lines[l], l + 1, columns, errors, "")).append('\n');
        }
        if (errors.isEmpty()) {
            errors.addAll(tagsAsFilledIn(file, template, columns));
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        DrlTokens.Result lexed = DrlTokens.lex(body.toString());
        if (lexed.problem() != null) {
            return List.of(new RuleError(file, lexed.problem().line(), lexed.problem().message()));
        }
        List<RuleError> problems = new Checker(file, lexed.tokens(), Set.of("template")).run();
        return problems.isEmpty() ? ShadowedNames.check(file, lexed.tokens()) : problems;
    }

    /** One line with its tags checked and each replaced by a literal, as the server fills them in. */
    private static String fillTags(String file, String line, int lineNumber, Set<String> columns, List<RuleError> errors,
                                   String where) {
        Matcher tags = ORB_TAG.matcher(line);
        StringBuilder filled = new StringBuilder();
        while (tags.find()) {
            String expression = tags.group(2) == null ? "" : tags.group(2).trim();
            boolean plain = tags.group(0).startsWith("@") && tags.group(1) == null && tags.group(0).endsWith("}")
                    && (columns.contains(expression) || expression.equals("row.rowNumber"));
            if (!plain) {
                errors.add(new RuleError(file, lineNumber, "template tag '" + tags.group(0) + "' is not allowed" + where
                        + ": only @{column} for a column of the template header, or @{row.rowNumber}"));
            }
            // a filled-in value is a literal the server builds (an escaped string, a number or an enum name)
            tags.appendReplacement(filled, "0");
        }
        tags.appendTail(filled);
        return filled.toString();
    }

    /**
     * drools-templates strips comments from a template before MVEL fills it in, and does so without
     * regard to strings: {@code "http://x"} loses its tail and a slash-star inside a string swallows
     * everything up to the next star-slash. So the tags are checked again in the text as drools-templates
     * reads it (line numbers of that text). The rules it generates are checked as DRL before they are
     * compiled, in {@code AgentCompiler}.
     */
    private static List<RuleError> tagsAsFilledIn(String file, String template, Set<String> columns) {
        DefaultTemplateContainer container;
        try {
            container = new DefaultTemplateContainer(
                    new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8)), false);
        } catch (RuntimeException e) {
            return List.of(new RuleError(file, 0, "drools-templates cannot read the template: " + e.getMessage()));
        }
        List<RuleError> errors = new ArrayList<>();
        StringBuilder read = new StringBuilder(container.getHeader());
        for (RuleTemplate ruleTemplate : container.getTemplates().values()) {
            if (!ruleTemplate.getColumns().isEmpty()) {
                errors.add(new RuleError(file, 0, "template '" + ruleTemplate.getName() + "' has lines between its "
                        + "'template' line and its rule: template conditions are not allowed"));
            }
            read.append(ruleTemplate.getContents());
        }
        String[] lines = read.toString().split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            fillTags(file, lines[l], l + 1, columns, errors, " (in the text as drools-templates reads it, comments removed)");
        }
        return errors;
    }

    /** Walks the tokens once; collects one problem per line at most, so a bad line is reported once. */
    private static final class Checker {
        private final String file;
        private final List<Token> tokens;
        private final Set<String> extraWords;
        private final List<RuleError> errors = new ArrayList<>();
        /**
         * Local variables of the current rule's consequence ({@code String why = ...}), with the block depth
         * they were declared at. A name is one only inside its block: out of it, Java reads
         * {@code java.lang.System} as the package it is, whatever was declared elsewhere. Inside, a local
         * names a value, never a method or a class (after a dot, before a parenthesis, after {@code new}).
         */
        private final Map<String, Integer> locals = new java.util.HashMap<>();
        private int depth;
        private int lastErrorLine = -1;

        Checker(String file, List<Token> tokens, Set<String> extraWords) {
            this.file = file;
            this.tokens = tokens;
            this.extraWords = extraWords;
        }

        List<RuleError> run() {
            for (int i = 0; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                switch (token.kind()) {
                    case STRING, NUMBER -> {
                    }
                    case PUNCTUATION -> punctuation(i);
                    case IDENTIFIER -> i = identifier(i);
                }
            }
            return errors;
        }

        private void punctuation(int i) {
            Token token = tokens.get(i);
            String text = token.text();
            if (text.equals("{")) {
                depth++;
            } else if (text.equals("}")) {
                depth--;
                locals.values().removeIf(declaredAt -> declaredAt > depth);
            }
            if ("#`\\".contains(text)) {
                refuse(token, "'" + text + "' is not allowed in rules");
            } else if (text.equals("-") && next(i).is(">") || text.equals(":") && next(i).is(":")) {
                refuse(token, "lambdas and method references are not allowed in rules");
            } else if (text.equals("@")) {
                Token name = next(i);
                if (name.kind() != Kind.IDENTIFIER || !FactModel.METADATA.contains(name.text())) {
                    refuse(token, "'@" + name.text() + "' is not allowed: rule metadata is @tier, @severity, "
                            + "@description, @category or @window");
                }
            }
        }

        /** Returns the index of the last token it consumed. */
        private int identifier(int i) {
            Token token = tokens.get(i);
            String name = token.text();
            if (name.equals("package")) {
                return packageName(i);
            }
            if (name.equals("import")) {
                return importName(i);
            }
            if (name.equals("drools")) {
                // the rule context goes to the result-fact factories as an argument; its own methods reach the engine
                if (next(i).is(".")) {
                    refuse(token, "'drools." + next(i + 1).text() + "' is not allowed: pass drools to a result-fact "
                            + "factory (Results.finding(drools, ...)) instead");
                }
                return i;
            }
            if (name.equals("rule") || name.equals("end")) {
                locals.clear();
                depth = 0;
            }
            if (name.startsWith("$")) {
                if (!name.matches("\\$[A-Za-z_][A-Za-z0-9_]*")) {
                    refuse(token, "'" + name + "' is not a valid variable name");
                } else if (previous(i).is(".")) {
                    refuse(token, "'" + name + "' is a variable: it cannot follow a dot");
                }
                return i;
            }
            if (declaresLocal(i)) {
                locals.put(name, depth);
                return i;
            }
            boolean local = locals.containsKey(name) && !previous(i).is(".") && !previous(i).is("new")
                    && !next(i).is("(");
            // A capitalized name stands alone only as a type; as a member (an enum constant such as
            // AccessLevel.System) it follows a dot, so "System" alone never passes for java.lang.System.
            boolean member = FactModel.isMember(name) && (Character.isLowerCase(name.charAt(0)) || previous(i).is("."));
            if (local || FactModel.KEYWORDS.contains(name) || extraWords.contains(name)
                    || FactModel.isType(name) || member
                    || FactModel.METADATA.contains(name) && previous(i).is("@")) {
                return i;
            }
            refuse(token, "'" + name + "' is not allowed: rules may only use the fact model (dev.agentfactory.rules.model),"
                    + " the blueprint enums and values" + hint(name));
            return i;
        }

        /**
         * {@code <type> name =}: a local variable of a consequence, typed with a primitive, {@code var} or a
         * type on the allow-list. Lowercase names only, so a local can never pass for a class.
         */
        private boolean declaresLocal(int i) {
            Token type = previous(i);
            return tokens.get(i).text().matches("[a-z][A-Za-z0-9_]*") && next(i).is("=")
                    && type.kind() == Kind.IDENTIFIER && (FactModel.isType(type.text())
                    || Set.of("var", "int", "long", "double", "float", "boolean", "short", "byte", "char")
                    .contains(type.text()));
        }

        private static String hint(String name) {
            return switch (name) {
                case "function", "global", "declare", "query", "eval" -> " (" + name + " is not available in rule files)";
                case "System", "Runtime", "Thread", "Class", "ClassLoader", "ProcessBuilder", "File", "Files", "Paths",
                     "URL", "Socket", "getClass", "forName", "exec", "getRuntime" ->
                        " (no access to the system, reflection, files, network or processes)";
                default -> "";
            };
        }

        private int packageName(int i) {
            Token token = tokens.get(i);
            StringBuilder name = new StringBuilder();
            int j = i + 1;
            while (j < tokens.size() && (tokens.get(j).kind() == Kind.IDENTIFIER || tokens.get(j).is("."))
                    && tokens.get(j).line() == token.line()) {
                name.append(tokens.get(j).text());
                j++;
            }
            String pkg = name.toString();
            if (!PACKAGE_NAME.matcher(pkg).matches()) {
                refuse(token, "package '" + pkg + "' must be lowercase names separated by dots, e.g. actions.risk");
            } else if (RESERVED_PACKAGES.stream().anyMatch(r -> pkg.equals(r) || pkg.startsWith(r + "."))) {
                refuse(token, "package '" + pkg + "' is reserved; name the concern, e.g. actions.risk");
            }
            return j - 1;
        }

        private int importName(int i) {
            Token token = tokens.get(i);
            StringBuilder name = new StringBuilder();
            int j = i + 1;
            while (j < tokens.size() && (tokens.get(j).kind() == Kind.IDENTIFIER || tokens.get(j).is(".")
                    || tokens.get(j).is("*")) && tokens.get(j).line() == token.line()) {
                name.append(tokens.get(j).text());
                j++;
            }
            String imported = name.toString();
            if (!FactModel.importable(imported)) {
                refuse(token, "import '" + imported + "' is not allowed: rules import only the fact model "
                        + "(dev.agentfactory.rules.model.*) and the blueprint enums (dev.agentfactory.blueprint.*)");
            }
            return j - 1;
        }

        private Token next(int i) {
            return i + 1 < tokens.size() ? tokens.get(i + 1) : new Token(Kind.PUNCTUATION, "", 0);
        }

        private Token previous(int i) {
            return i > 0 ? tokens.get(i - 1) : new Token(Kind.PUNCTUATION, "", 0);
        }

        private void refuse(Token token, String message) {
            if (token.line() != lastErrorLine) {
                errors.add(new RuleError(file, token.line(), message));
                lastErrorLine = token.line();
            }
        }
    }
}
