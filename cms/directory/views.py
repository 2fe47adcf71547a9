from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from cms.hooks import collect_organisation_links

from .models import Organisation, OrganisationKind, Region


def organisation_list(request):
    organisations = Organisation.objects.select_related("region", "logo")
    kind = request.GET.get("kind", "")
    region = request.GET.get("region", "")
    if kind in OrganisationKind.values:
        organisations = organisations.filter(kind=kind)
    if region:
        organisations = organisations.filter(region__slug=region)
    page = Paginator(organisations, 24).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/organisation_list.html",
        {
            "organisations": page,
            "kinds": OrganisationKind.choices,
            "regions": Region.objects.all(),
            "selected_kind": kind,
            "selected_region": region,
        },
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("region", "logo"), slug=slug
    )
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "linked_groups": collect_organisation_links(organisation, request),
        },
    )
