"""The client's address and the login name, as django-axes and the access log read them.

Behind the reverse proxy (docker-compose.yml) every request comes from the proxy's
address: a lockout keyed on it would lock every user at once, and the access log would
name the proxy. ``settings.TRUSTED_PROXIES`` lists the proxies (addresses or networks)
whose ``X-Forwarded-For`` is believed; the client is the right-most address of that
header that is not one of them (what a client writes at its left is never read). A
request that does not come from a trusted proxy is its own ``REMOTE_ADDR``.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not _trusted(remote, networks):
        return str(remote)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be trusted
        if not _trusted(address, networks):
            return str(address)
    return str(remote)


def lockout_username(request, credentials=None) -> str:
    """The login name as the account is found (e-mail, case-insensitive): "Jean@…" and
    "jean@…" count as the same account's failures."""
    if credentials:
        name = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        name = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return (name or "").strip().lower()
