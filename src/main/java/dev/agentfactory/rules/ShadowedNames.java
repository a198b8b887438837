package dev.agentfactory.rules;

import dev.agentfactory.rules.DrlTokens.Kind;
import dev.agentfactory.rules.DrlTokens.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The allow-list checks names, but Java and MVEL decide what a name means: a simple name in a rule
 * is looked up in the rule file's own package and its {@code import x.*} packages (before
 * {@code java.lang}). A file that declares {@code package org.jdbi.v3.core.inlined.org.antlr.v4.runtime;}
 * reaches {@code $ANTLRFileStream} (which reads any file) by its simple name, and a class there named
 * like a fact-model type would stand in for it. So a name used on its own must not be a class of those
 * packages, unless it is the very fact-model class or JDK value type the allow-list means.
 */
final class ShadowedNames {
    /** Drools puts rules of a file without a package here. */
    private static final String DEFAULT_PACKAGE = "defaultpkg";
    private static final Set<String> MEANT = Stream.of(FactModel.FACT_MODEL.stream(), FactModel.ENUMS.stream(),
                    FactModel.JDK_TYPES.stream().map(ShadowedNames::jdkType))
            .flatMap(s -> s).map(Class::getName).collect(Collectors.toUnmodifiableSet());

    private ShadowedNames() {
    }

    static List<RuleError> check(String file, List<Token> tokens) {
        List<String> packages = new ArrayList<>();
        packages.add(DEFAULT_PACKAGE);
        Map<String, Integer> names = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is("package") || token.is("import")) {
                int end = endOfName(tokens, i + 1, token.line());
                String name = tokens.subList(i + 1, end).stream().map(Token::text).collect(Collectors.joining());
                if (token.is("package")) {
                    packages.set(0, name);
                } else if (name.endsWith(".*")) {
                    packages.add(name.substring(0, name.length() - 2));
                }
                i = end - 1;
            } else if (token.kind() == Kind.IDENTIFIER && (i == 0 || !tokens.get(i - 1).is("."))) {
                names.putIfAbsent(token.text(), token.line());
            }
        }
        packages.add("java.lang");
        ClassLoader loader = ShadowedNames.class.getClassLoader();
        List<RuleError> errors = new ArrayList<>();
        Set<Integer> lines = new HashSet<>();
        names.forEach((name, line) -> {
            for (String pkg : packages) {
                String className = pkg + "." + name;
                if (!MEANT.contains(className) && loader.getResource(className.replace('.', '/') + ".class") != null
                        && lines.add(line)) {
                    errors.add(new RuleError(file, line, "'" + name + "' would name the class " + className
                            + " of the server, not the fact model: give the rules a package of their own"));
                }
            }
        });
        return errors;
    }

    /** Where the dotted name that starts at {@code from} on {@code line} ends (exclusive). */
    private static int endOfName(List<Token> tokens, int from, int line) {
        int j = from;
        while (j < tokens.size() && tokens.get(j).line() == line
                && (tokens.get(j).kind() == Kind.IDENTIFIER || tokens.get(j).is(".") || tokens.get(j).is("*"))) {
            j++;
        }
        return j;
    }

    private static Class<?> jdkType(String simpleName) {
        try {
            return Class.forName("java.lang." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("FactModel.JDK_TYPES names a class outside java.lang: " + simpleName, e);
        }
    }
}
