package dev.agentfactory.blueprint;

/** The industry an agent works in; regulated ones get stricter rules. */
public enum IndustryProfile {
    RealEstate, Mortgage, Financial, Insurance, Healthcare, Retail, General
}
