"""The `talent` command line: the platform's entry point for operators and scripts."""
