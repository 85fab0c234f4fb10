"""Database access below the domains: engine and sessions, the read driver, review predicates,
ids."""
