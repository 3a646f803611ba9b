"""Concrete spiders: declarations on a platform base, named after their file."""
