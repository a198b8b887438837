package dev.agentfactory.rules;

import dev.agentfactory.blueprint.AccessLevel;
import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.IndustryProfile;
import dev.agentfactory.blueprint.OverrideMode;
import dev.agentfactory.blueprint.TriggerMode;
import dev.agentfactory.blueprint.ValidationIntensity;
import dev.agentfactory.rules.model.*;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a rule file may name: the fact model (facts in, result facts out, the helpers rules call),
 * the blueprint's enums, a few JDK value types, and the methods that compute with values. It is an
 * allow-list: a name that is not here is refused, whatever it is. The members of the fact-model
 * classes are read from the classes themselves, so a new accessor is usable at once; a new class
 * must be listed in {@link #FACT_MODEL} (a test checks the list against the package).
 */
final class FactModel {
    /** Every class of {@code dev.agentfactory.rules.model}. Rules may construct and call all of them: keep them pure. */
    static final List<Class<?>> FACT_MODEL = List.of(
            ActionScopeFact.class, ActionTypeFact.class, Activation.class, AgentPolicy.class, AgentState.class,
            ApprovalNeed.class, ApprovalReason.class, ApprovalRequestFact.class, BlueprintFact.class,
            CallbackFact.class, ConditionFailed.class, Conditions.class, ConfidenceFloor.class,
            CustomMatch.class, CustomRuleInput.class, CustomTarget.class,
            ContextTypeFact.class, Decision.class, EffectiveMode.class, EventFact.class, Explanation.class,
            Finding.class, KnownContextType.class, LlmConsultation.class, LlmVerdict.class, Payloads.class,
            PermittedAction.class, PermittedContext.class, ProposedAction.class, QuotaClaim.class, Rejection.class,
            RecentActions.class, RequestedContext.class, Requester.class, Results.class, RiskContribution.class, RiskLevel.class,
            RiskScore.class, RiskSignal.class, Routing.class, RuleMetadata.class, Severity.class, Verdict.class);

    /** The blueprint's enums, which rules compare with ({@code ActionScope.RealWorld}). */
    static final List<Class<?>> ENUMS = List.of(AccessLevel.class, ActionScope.class, IndustryProfile.class,
            OverrideMode.class, TriggerMode.class, ValidationIntensity.class);

    /** Value types of the JDK a rule may name (patterns such as {@code Number() from accumulate}, {@code Math.max}). */
    static final Set<String> JDK_TYPES = Set.of("String", "Number", "Integer", "Long", "Double", "Boolean", "Math");

    /** Methods that compute with values (strings, numbers, lists, maps, enums), and nothing else. */
    static final Set<String> VALUE_METHODS = Set.of(
            "size", "isEmpty", "contains", "containsKey", "containsValue", "get", "getOrDefault", "keySet", "values",
            "length", "isBlank", "startsWith", "endsWith", "toLowerCase", "toUpperCase", "trim", "strip",
            "substring", "indexOf", "lastIndexOf", "charAt", "replace", "matches", "equalsIgnoreCase", "concat",
            "equals", "compareTo", "toString", "hashCode", "valueOf", "format", "join",
            "intValue", "longValue", "doubleValue", "ordinal", "name",
            "max", "min", "abs", "round", "floor", "ceil", "signum", "sqrt", "pow",
            "parseInt", "parseLong", "parseDouble", "MAX_VALUE", "MIN_VALUE");

    /** DRL and Java words the shipped rules are written with. */
    static final Set<String> KEYWORDS = Set.of(
            "rule", "when", "then", "end", "not", "exists", "and", "or", "forall", "from", "accumulate", "collect",
            "in", "memberOf", "contains", "matches", "this", "null", "true", "false", "salience", "dialect",
            "no", "loop", "lock", "on", "active", "agenda", "group", "activation", "auto", "focus", "extends",
            "new", "if", "else", "return", "instanceof", "final", "var",
            "int", "long", "double", "float", "boolean", "short", "byte", "char",
            // consequences: working-memory actions on result facts
            "insert", "insertLogical", "delete", "retract", "update", "modify",
            // accumulate functions
            "sum", "count", "average", "collectList", "collectSet");

    /** Rule metadata a rule may carry ({@code @tier(1)}). */
    static final Set<String> METADATA = Set.of("tier", "severity", "description", "category", "window");

    /** Where imports may point. */
    static final Set<String> IMPORT_PACKAGES = Set.of("dev.agentfactory.rules.model", "dev.agentfactory.blueprint");

    private static final Set<String> TYPES = new HashSet<>();
    private static final Set<String> MEMBERS = new HashSet<>();

    static {
        TYPES.addAll(JDK_TYPES);
        MEMBERS.addAll(VALUE_METHODS);
        for (Class<?> type : FACT_MODEL) {
            addClass(type);
        }
        for (Class<?> type : ENUMS) {
            addClass(type);
        }
    }

    private FactModel() {
    }

    private static void addClass(Class<?> type) {
        TYPES.add(type.getSimpleName());
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                MEMBERS.add(component.getName());
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()) {
                MEMBERS.add(method.getName());
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isPublic(field.getModifiers())) {
                MEMBERS.add(field.getName());
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (Modifier.isPublic(nested.getModifiers())) {
                addClass(nested);
            }
        }
    }

    static boolean isType(String name) {
        return TYPES.contains(name);
    }

    static boolean isMember(String name) {
        return MEMBERS.contains(name);
    }

    /** An import of one fact-model class or enum, or of one of the two packages as a whole. */
    static boolean importable(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        String pkg = qualifiedName.substring(0, dot);
        String name = qualifiedName.substring(dot + 1);
        if (!IMPORT_PACKAGES.contains(pkg)) {
            return false;
        }
        return name.equals("*") || FACT_MODEL.stream().anyMatch(c -> c.getName().equals(qualifiedName))
                || ENUMS.stream().anyMatch(c -> c.getName().equals(qualifiedName));
    }
}
