"""The HTTP API (FastAPI): thin routes over matcher's services."""
