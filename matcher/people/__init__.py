"""Who may do what, and what is kept about them: accounts and keys, the audit log, consent and masking, a
candidate's own data (export and erasure), rate limits."""
