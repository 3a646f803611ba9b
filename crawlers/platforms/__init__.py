"""Reusable spider bases: each knows a kind of page; concrete spiders only declare where to look."""
