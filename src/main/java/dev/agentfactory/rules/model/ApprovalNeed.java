package dev.agentfactory.rules.model;

/** Result fact: deploying this blueprint needs a human's approval, and why. */
public record ApprovalNeed(String ruleId, String reason) {
}
