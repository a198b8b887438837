package dev.agentfactory.rules.model;

/** How bad a finding is. Any ERROR makes a blueprint invalid. */
public enum Severity {
    ERROR, WARNING, INFO
}
