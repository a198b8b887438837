package dev.agentfactory.auth;

import io.javalin.security.RouteRole;

/** What a token may do. Routes list the roles they accept; {@link AccessControl} checks them. */
public enum Role implements RouteRole {
    PM, COMPLIANCE, APPROVER, ADMIN, AGENT;

    /** Every role: for endpoints any authenticated caller may use. */
    public static final Role[] ANY = values();
}
