from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_search, name="search"),
    path("opportunities/new/", views.opportunity_edit, name="opportunity_create"),
    path("opportunities/mine/", views.my_opportunities, name="my_opportunities"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path(
        "opportunities/<int:pk>/interest/", views.opportunity_interest, name="opportunity_interest"
    ),
    path(
        "opportunities/<int:pk>/<slug:action>/",
        views.opportunity_action,
        name="opportunity_action",
    ),
    path(
        "technologies/<int:page_id>/interest/",
        views.technology_interest,
        name="technology_interest",
    ),
    path("interests/", views.interest_list, name="interest_list"),
    path("interests/<int:pk>/", views.interest_detail, name="interest"),
    path("interests/<int:pk>/state/", views.interest_state, name="interest_state"),
    path("interests/<int:pk>/withdraw/", views.interest_withdraw, name="interest_withdraw"),
    path("recommended/", views.recommendations, name="recommendations"),
    path("review/", views.review_queue, name="review_queue"),
    path("organisations/<slug:slug>/profile/", views.profile_edit, name="profile_edit"),
    path(
        "organisations/<slug:slug>/contact/",
        views.organisation_contact,
        name="organisation_contact",
    ),
    path("experts/me/", views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/", views.expert_detail, name="expert"),
    path("experts/<int:pk>/contact/", views.expert_contact, name="expert_contact"),
]
