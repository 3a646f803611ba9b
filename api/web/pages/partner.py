"""The partner pages (引才合伙人)."""

from fastapi import APIRouter

from api.web.auth import PREFIX

router = APIRouter(prefix=PREFIX, include_in_schema=False)
