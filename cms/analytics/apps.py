from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "cms.analytics"
    label = "analytics"
    verbose_name = _("Dissemination analytics")

    def ready(self):
        from cms.pagecache import hit_counter_register

        # A page served from the page cache is counted as if it had been rendered: the hit names
        # its page for the view-count middleware (cms.analytics.middleware), outside the cache.
        hit_counter_register("analytics.page", note_page_of_hit)


def note_page_of_hit(*, request, object_id):
    request.analytics_page_id = object_id
