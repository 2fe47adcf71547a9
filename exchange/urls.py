from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("impact/", views.impact, name="impact"),
    path("impact/mine/", views.impact_report, name="impact_report"),
    path("impact/mine/export.csv", views.impact_export, name="impact_export"),
    path("join/", views.join, name="join"),
    path("mine/", views.my_listings, name="my_listings"),
    path("sites/new/", views.site_create, name="site_create"),
    path("members/<int:pk>/approve/", views.membership_approve, name="membership_approve"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("listings/new/", views.listing_edit, name="listing_create"),
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("listings/<int:pk>/inquire/", views.inquiry_start, name="inquiry_start"),
    path("listings/<int:pk>/<slug:action>/", views.listing_action, name="listing_action"),
    path("matches/", views.matches, name="matches"),
    path("matches/alerts/", views.match_alert_settings, name="match_alert_settings"),
    path(
        "matches/alerts/unsubscribe/<uuid:token>/",
        views.legacy_match_alert_unsubscribe,
        name="legacy_match_alert_unsubscribe",
    ),
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("deals/<int:pk>/<slug:action>/", views.deal_action, name="deal_action"),
    path("export.csv", views.csv_export, name="csv_export"),
    path("import/", views.csv_import, name="csv_import"),
    path("import/<uuid:pk>/", views.csv_import_detail, name="csv_import_detail"),
    path("import/<uuid:pk>/confirm/", views.csv_import_confirm, name="csv_import_confirm"),
    path("searches/", views.saved_searches, name="saved_searches"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path(
        "searches/unsubscribe/<uuid:token>/",
        views.legacy_saved_search_unsubscribe,
        name="legacy_saved_search_unsubscribe",
    ),
]
