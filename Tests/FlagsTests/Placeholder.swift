// Placeholder: replaced as the target gains tests.
