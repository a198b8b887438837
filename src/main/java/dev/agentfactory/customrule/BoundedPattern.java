package dev.agentfactory.customrule;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code matches} pattern that cannot hang the server. Java's regex engine backtracks, so a
 * pattern like {@code (a+)+$} can take exponential time on the right input. The input is read
 * through a {@link CharSequence} that counts every character the engine reads and stops it once
 * the evaluation's step budget is spent (long inputs are bounded the same way).
 *
 * <p>The budget only sees characters read, so a pattern may not spend time without reading:
 * {@link StepFreeLoops} refuses the constructs that match nothing over and over.
 *
 * <p>A search that was cut off counts as a <em>match</em>: a custom rule can only add a
 * restriction (a finding, risk, a human), so the safe outcome of "could not tell" is the rule's
 * outcome, and the reasons say why.
 */
final class BoundedPattern {
    static final int MAX_LENGTH = 200;

    private final Pattern pattern;

    private BoundedPattern(Pattern pattern) {
        this.pattern = pattern;
    }

    /** What is wrong with {@code regex} as a custom-rule pattern, if anything. */
    static Optional<String> problem(String regex) {
        if (regex.isEmpty() || regex.length() > MAX_LENGTH) {
            return Optional.of("must be a regular expression of 1 to " + MAX_LENGTH + " characters");
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return Optional.of("is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
        return StepFreeLoops.problem(regex);
    }

    static BoundedPattern compile(String regex) {
        return new BoundedPattern(Pattern.compile(regex));
    }

    /** True when the pattern is found in {@code input}; empty when the budget ran out first. */
    Optional<Boolean> find(String input, Budget budget) {
        if (budget.spent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(pattern.matcher(new Counted(input, budget)).find());
        } catch (Budget.Spent | StackOverflowError e) {
            // Deep backtracking on a long input can also exhaust the stack: the same "could not tell".
            return Optional.empty();
        }
    }

    /** Character reads left for the pattern searches of one evaluation. */
    static final class Budget {
        static final long STEPS = 1_000_000;

        private long left;

        Budget(long steps) {
            this.left = steps;
        }

        static Budget standard() {
            return new Budget(STEPS);
        }

        boolean spent() {
            return left <= 0;
        }

        void take() {
            if (--left < 0) {
                throw Spent.INSTANCE;
            }
        }

        /** Spends {@code steps} at once (a text search); false when they were not left. */
        boolean spend(long steps) {
            left -= steps;
            return left >= 0;
        }

        /** Thrown through the regex engine to stop it; no stack trace, it is not an error. */
        static final class Spent extends RuntimeException {
            static final Spent INSTANCE = new Spent();

            private Spent() {
                super("pattern step budget spent", null, false, false);
            }
        }
    }

    private record Counted(String text, Budget budget) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            budget.take();
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counted(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
