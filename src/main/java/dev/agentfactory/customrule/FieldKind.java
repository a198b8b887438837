package dev.agentfactory.customrule;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What a field holds, and so which operators and values make sense for it. */
enum FieldKind {
    TEXT(EnumSet.of(Operator.EQ, Operator.NE, Operator.IN, Operator.CONTAINS, Operator.MATCHES)),
    NUMBER(EnumSet.of(Operator.EQ, Operator.NE, Operator.LT, Operator.LE, Operator.GT, Operator.GE, Operator.IN)),
    BOOLEAN(EnumSet.of(Operator.EQ, Operator.NE)),
    ENUM(EnumSet.of(Operator.EQ, Operator.NE, Operator.IN)),
    TEXT_LIST(EnumSet.of(Operator.CONTAINS)),
    /** Free-form JSON the agent or the blueprint supplies (payload, user overrides, industry config). */
    ANY(EnumSet.allOf(Operator.class));

    private final Set<Operator> operators;

    FieldKind(Set<Operator> operators) {
        this.operators = operators;
    }

    boolean allows(Operator operator) {
        return operators.contains(operator);
    }

    String operators() {
        return operators.stream().map(Operator::symbol).collect(Collectors.joining(", "));
    }

    String describe() {
        return switch (this) {
            case TEXT -> "text";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case ENUM -> "enumeration";
            case TEXT_LIST -> "list";
            case ANY -> "free-form";
        };
    }
}
