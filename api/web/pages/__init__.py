"""One module of pages per role, plus signing in and out."""
