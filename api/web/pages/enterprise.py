"""The enterprise pages (用人单位)."""

from fastapi import APIRouter

from api.web.auth import PREFIX

router = APIRouter(prefix=PREFIX, include_in_schema=False)
