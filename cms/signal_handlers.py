"""Receivers of the core, connected in CmsConfig.ready()."""

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

from cms.links import default_site_sync_quietly
from cms.pagecache import install_write_watch
from cms.search.languages import text_search_setup
from cms.services import regional_editing_setup


def setup_regional_editing(**kwargs):
    regional_editing_setup()


def sync_default_site(**kwargs):
    default_site_sync_quietly()


def setup_text_search(using="default", **kwargs):
    text_search_setup(using=using)


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
    # Every write to the database empties the anonymous page cache (cms/pagecache.py) and
    # replaces the version of the table written (cms/tablecache.py: the private page paths of
    # cms/models/listing.py, the site, ...).
    connection_created.connect(install_write_watch, dispatch_uid="cms_page_cache_writes")
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:  # opened before the apps were ready
            install_write_watch(sender=type(connection), connection=connection)
