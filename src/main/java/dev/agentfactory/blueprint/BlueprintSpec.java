package dev.agentfactory.blueprint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What a PM writes: the editable part of a blueprint, with the seed's defaults filled in for
 * anything left out. The server-owned fields of {@link Blueprint} are accepted in a request (so a
 * fetched blueprint can be sent back) and ignored.
 */
@JsonIgnoreProperties(value = {"id", "organizationId", "status", "version", "createdBy", "createdAt",
        "lastModified", "modifiedBy", "deploymentId"}, allowGetters = true)
public record BlueprintSpec(
        String name,
        String description,
        String goal,
        TriggerConfig triggerConfig,
        ContextConfig contextConfig,
        ActionConfig actionConfig,
        ValidationConfig validationConfig,
        PromptConfig promptConfig,
        IndustryProfile industryProfile,
        Map<String, Object> industrySpecificConfig) {

    public BlueprintSpec {
        triggerConfig = triggerConfig == null ? TriggerConfig.defaults() : triggerConfig;
        contextConfig = contextConfig == null ? ContextConfig.defaults() : contextConfig;
        actionConfig = actionConfig == null ? ActionConfig.defaults() : actionConfig;
        validationConfig = validationConfig == null ? ValidationConfig.defaults() : validationConfig;
        promptConfig = promptConfig == null ? PromptConfig.defaults() : promptConfig;
        industryProfile = industryProfile == null ? IndustryProfile.RealEstate : industryProfile;
        industrySpecificConfig = Copies.map(industrySpecificConfig);
    }
}
