"""Case writes: each checks permission, validates, audits, and runs in one transaction."""
