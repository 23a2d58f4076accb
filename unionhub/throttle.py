"""Counting attempts in fixed clock windows, in the cache every web worker shares (Redis in production,
memory in the one process of the embedded default): the member sign-in's limits per number and per
address. A window is a clock hour or day, not a sliding one: simple, and exact enough for a limit."""

import datetime
import ipaddress
import time

from django.core.cache import cache


def client_address(remote_addr: str) -> str:
    """The address limits are counted for; an IPv6 client by its /64, which one household holds whole."""
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _key(name: str, seconds: int, window: int) -> str:
    return f"throttle:{name}:{seconds}:{window}"


def used(name: str, seconds: int) -> int:
    window = int(time.time()) // seconds
    return cache.get(_key(name, seconds, window), 0)


def retry_after(name: str, *, limit: int, seconds: int) -> datetime.datetime | None:
    """When ``name`` may try again if it has had ``limit`` attempts in the current window, else None."""
    window = int(time.time()) // seconds
    if cache.get(_key(name, seconds, window), 0) < limit:
        return None
    return datetime.datetime.fromtimestamp((window + 1) * seconds, tz=datetime.UTC)


def count(name: str, seconds: int) -> None:
    key = _key(name, seconds, int(time.time()) // seconds)
    if cache.add(key, 1, timeout=seconds + 60):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 60)
