package dev.agentfactory.validation;

import dev.agentfactory.rules.ValidationReport;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.agentfactory.blueprint.BlueprintStatus;
import java.util.UUID;

/** The answer to validating a stored blueprint: the report, plus which version it judged and where that left it. */
public record StoredValidation(@JsonUnwrapped ValidationReport report, UUID validationId, UUID blueprintId,
                               int blueprintVersion, BlueprintStatus status) {
}
