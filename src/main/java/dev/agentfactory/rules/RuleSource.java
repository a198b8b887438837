package dev.agentfactory.rules;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shared rules of a bundle: every {@code *.drl} outside {@code templates/} and every rule test
 * under {@code tests/}, keyed by path relative to the rules folder with forward slashes.
 *
 * @param version the version of the bundle they belong to
 */
public record RuleSource(Map<String, String> drl, Map<String, String> tests, String version) {
    public RuleSource {
        drl = Collections.unmodifiableMap(new TreeMap<>(drl));
        tests = Collections.unmodifiableMap(new TreeMap<>(tests));
    }

    public static RuleSource read(Path dir) {
        return Bundle.read(dir).ruleSource();
    }

    /** These files alone, as a bundle of their own. */
    public static RuleSource of(Map<String, String> drl, Map<String, String> tests) {
        Map<String, String> files = new TreeMap<>(drl);
        files.putAll(tests);
        return new RuleSource(drl, tests, Bundle.of(files).version());
    }
}
