package dev.agentfactory.customrule;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The comparisons a custom rule's condition may use, as written in JSON. */
enum Operator {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in"), CONTAINS("contains"), MATCHES("matches");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    boolean ordering() {
        return this == LT || this == LE || this == GT || this == GE;
    }

    static Optional<Operator> of(String symbol) {
        return Arrays.stream(values()).filter(o -> o.symbol.equals(symbol)).findFirst();
    }

    static String allowed() {
        return Arrays.stream(values()).map(Operator::symbol).collect(Collectors.joining(", "));
    }
}
