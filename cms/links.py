"""The site's own address: every absolute link (feeds, sitemap, e-mails, certificates, QR codes)
starts with ``settings.SITE_URL``, never with the host a request happened to arrive on.

Wagtail builds a page's full URL from its Site record (hostname and port), so that record
follows SITE_URL: after every migrate, when a web process starts (cms/wsgi.py) and on demand
with ``manage.py site_url_sync``.
"""

import logging
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction
from wagtail.models import Site

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


def site_url() -> str:
    """SITE_URL without a trailing slash, e.g. ``https://centre.example.org``."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(url: str) -> str:
    """``url`` (a path such as ``/exchange/``) on SITE_URL; an absolute URL is kept as it is."""
    if urlsplit(url).scheme:
        return url
    return urljoin(site_url() + "/", url.lstrip("/"))


def site_address() -> tuple[str, int]:
    """The hostname and port of SITE_URL, as a Wagtail Site stores them."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"SITE_URL must be an http or https URL, not {settings.SITE_URL!r}")
    if parts.scheme == "https" and parts.port not in (None, 443):
        # Wagtail's Site.root_url can only say https on port 443.
        raise ValueError("An https SITE_URL must use the default port 443")
    return parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]


def default_site_sync() -> bool:
    """Give the default Wagtail Site the hostname and port of SITE_URL. Returns whether it
    changed. Nothing happens when there is no default site yet (before the first migrate)."""
    hostname, port = site_address()
    with transaction.atomic():
        site = Site.objects.select_for_update().filter(is_default_site=True).first()
        if site is None or (site.hostname, site.port) == (hostname, port):
            return False
        if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
            raise ValueError(f"Another Wagtail site already uses {hostname}:{port}")
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    Site.clear_site_root_paths_cache()
    logger.info("Default site now at %s:%s (SITE_URL)", hostname, port)
    return True


def default_site_sync_quietly() -> None:
    """The sync after a migrate and when a web process starts: a problem (database down, tables
    not migrated yet, another site at that address) is logged and never stops either; the next
    start, migrate or ``manage.py site_url_sync`` tries again."""
    try:
        default_site_sync()
    except (DatabaseError, ValueError) as error:
        logger.warning("Could not set the default site's address from SITE_URL: %s", error)
