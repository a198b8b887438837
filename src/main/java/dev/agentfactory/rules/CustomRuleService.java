package dev.agentfactory.rules;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.Json;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Custom rules added over HTTP: compiled and tested together with the live set first, and only
 * then written to {@code rules/custom/<name>.drl} and loaded.
 */
public final class CustomRuleService {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final RuleEngine engine;
    private final Jdbi jdbi;
    private final AuditLog auditLog;

    public CustomRuleService(RuleEngine engine, Jdbi jdbi, AuditLog auditLog) {
        this.engine = engine;
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    public record NewRule(String name, String drl) {
    }

    public record AddedRule(String name, String file, String ruleSetVersion, List<RuleInfo> rules) {
    }

    public AddedRule add(Caller caller, NewRule rule) {
        if (rule.name() == null || !NAME.matcher(rule.name()).matches()) {
            throw new BadRequestException("name", "required: 1-64 lowercase letters, digits, - and _, e.g. no-sms-at-night");
        }
        if (rule.drl() == null || rule.drl().isBlank()) {
            throw new BadRequestException("drl", "required: the DRL text of the rule file");
        }
        String file = "custom/" + rule.name() + ".drl";
        if (Files.exists(engine.dir().resolve(file))) {
            throw new ConflictException(file + " exists already; edit the file or choose another name");
        }
        RuleEngine.ReloadResult result = engine.addFile(file, rule.drl(), "custom rule " + rule.name() + " by "
                + caller.principal());
        if (result.outcome() == RuleEngine.Outcome.REFUSED) {
            Refusal refusal = result.refusal();
            throw new ApiException(422, "rules_refused", "the rule was refused (" + refusal.reason()
                    + "); nothing was written: " + refusal.errors().get(0), refusal.errors());
        }
        RuleSet live = engine.current();
        List<RuleInfo> added = live.rules().stream().filter(r -> r.file().equals(file)).toList();
        AddedRule answer = new AddedRule(rule.name(), file, live.version(), added);
        jdbi.useTransaction(handle -> auditLog.append(handle, AuditEvent.by(caller, "rules.custom_added", "rule_file",
                        file, null, Json.tree(Map.of("file", file, "drl", rule.drl(), "rules", added)))
                .inOrganization(null).withRules(live.version(), added.stream().map(RuleInfo::id).toList())));
        return answer;
    }
}
