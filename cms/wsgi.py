import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

application = get_wsgi_application()

# Every web process starts with the default site at SITE_URL (feeds, sitemap and e-mails use it).
from cms.links import default_site_sync_quietly  # noqa: E402

default_site_sync_quietly()
