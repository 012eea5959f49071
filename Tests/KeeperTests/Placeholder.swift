// Tests are added alongside.
