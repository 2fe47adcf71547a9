"""Receivers of the core, connected in CmsConfig.ready()."""

from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from cms.links import default_site_sync_quietly
from cms.models.listing import PRIVATE_PATHS_CACHE_KEY
from cms.pagecache import install_write_watch
from cms.search.languages import text_search_setup
from cms.services import regional_editing_setup


def setup_regional_editing(**kwargs):
    regional_editing_setup()


def sync_default_site(**kwargs):
    default_site_sync_quietly()


def setup_text_search(using="default", **kwargs):
    text_search_setup(using=using)


def forget_private_paths(**kwargs):
    cache.delete(PRIVATE_PATHS_CACHE_KEY)


def connect(app_config):
    # Region editor groups and the moderation workflow exist after every migrate.
    post_migrate.connect(
        setup_regional_editing, sender=app_config, dispatch_uid="cms_regional_editing"
    )
    # The default site's hostname and port follow SITE_URL (cms/links.py).
    post_migrate.connect(sync_default_site, sender=app_config, dispatch_uid="cms_default_site")
    # The "polish" text-search configuration when its files are on the database server, and
    # the text-search indexes of the apps (cms/search/languages.py).
    post_migrate.connect(setup_text_search, sender=app_config, dispatch_uid="cms_text_search")
    # Every write to the database empties the anonymous page cache (cms/pagecache.py).
    connection_created.connect(install_write_watch, dispatch_uid="cms_page_cache_writes")
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:  # opened before the apps were ready
            install_write_watch(sender=type(connection), connection=connection)
    # The private page paths cached by cms/models/listing.py change with a view restriction,
    # and with a move (the restricted page's path, or its ancestors', changes: its pages would
    # show in public listings until the cache expired).
    for signal in (post_save, post_delete):
        signal.connect(
            forget_private_paths,
            sender=PageViewRestriction,
            dispatch_uid=f"cms_private_paths_{signal is post_save}",
        )
    post_page_move.connect(forget_private_paths, dispatch_uid="cms_private_paths_moved")
