// Placeholder: replaced as the target gains code.
