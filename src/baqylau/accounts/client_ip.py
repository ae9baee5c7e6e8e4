"""The client's address for login throttling (django-axes), right behind trusted reverse proxies.

Behind a proxy every request comes from the proxy's address, so throttling by ``REMOTE_ADDR`` would lock
out everyone at once. ``BAQYLAU_TRUSTED_PROXY_COUNT`` says how many reverse proxies in front of the
site append the address they received from to ``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``,
HAProxy's ``forwardfor``): the client is the entry the outermost of them wrote, counted from the right.
Entries further left are whatever the client sent, so they are never believed.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "BAQYLAU_TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:  # it did not come through every proxy: the nearest hop is all we know
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
