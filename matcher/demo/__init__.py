"""Synthetic demo data: fictional enterprises, jobs and returnee candidates, labelled "synthetic-demo".

`generate(out_dir)` writes enterprises.jsonl, jobs.jsonl and candidates.jsonl in the record format of
matcher.records. Nothing in it describes a real person or company; the universities (ARWU 2025) and the
majors (the 2026 national undergraduate catalogue) are real reference data.
"""

from matcher.demo.generator import generate

__all__ = ["generate"]
