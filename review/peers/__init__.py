"""Filing between deployments (issue 22): keys and trust (`keys`), the signed package
(`package`), and what a package does on each side (`exchange`)."""
