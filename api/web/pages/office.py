"""The office pages (人才办)."""

from fastapi import APIRouter

from api.web.auth import PREFIX

router = APIRouter(prefix=PREFIX, include_in_schema=False)
