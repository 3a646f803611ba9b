"""Persistence: SQLAlchemy 2.0 models, the engine/session, and one query module per entity."""
