from django import template
from django.utils.translation import get_language_info

from cms.directory.countries import COUNTRY_LABELS
from cms.directory.membership import acting_organisation_ids
from cms.taxonomy import FIBRE_LABELS, PROCESS_LABELS, WASTE_CODE_LABELS

from ..models import CooperationProfile, Opportunity
from ..taxonomy import NACE_LABELS, S3_LABELS, VALUE_CHAIN_LABELS

register = template.Library()


def _labels(codes, labels):
    return [labels.get(code, code) for code in codes or ()]


@register.filter
def cooperation_profile(organisation):
    """The organisation's cooperation profile (read with it: ``select_related``), or None. In a
    template, a missing one is a failed lookup, which Django answers by listing every attribute
    of the organisation (``dir()``) to tell it from a failing property: 45 us a card."""
    try:
        return organisation.cooperation_profile
    except CooperationProfile.DoesNotExist:
        return None


@register.filter
def value_chain_labels(codes):
    return _labels(codes, VALUE_CHAIN_LABELS)


@register.filter
def s3_labels(codes):
    return _labels(codes, S3_LABELS)


@register.filter
def nace_labels(codes):
    return [f"{code} {NACE_LABELS.get(code, '')}".strip() for code in codes or ()]


@register.filter
def country_labels(codes):
    return _labels(codes, COUNTRY_LABELS)


@register.filter
def fibre_labels(codes):
    return _labels(codes, FIBRE_LABELS)


@register.filter
def waste_code_labels(codes):
    return [f"{code} {WASTE_CODE_LABELS.get(code, '')}".strip() for code in codes or ()]


@register.filter
def process_label(code):
    return PROCESS_LABELS.get(code, code)


@register.filter
def language_labels(codes):
    labels = []
    for code in codes or ():
        try:
            labels.append(get_language_info(code)["name_translated"])
        except KeyError:
            labels.append(code)
    return labels


@register.inclusion_tag("partners/includes/organisation_profile.html", takes_context=True)
def organisation_cooperation(context, organisation):
    """The cooperation profile block of an organisation's page, with its contact link."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "organisation": organisation,
        "profile": CooperationProfile.objects.filter(organisation=organisation).first(),
        "can_edit_profile": user is not None and organisation.pk in acting_organisation_ids(user),
        "request": request,
    }


@register.simple_tag
def funding_call_partner_searches(page):
    """The open partner searches tied to a funding call page."""
    return list(
        Opportunity.objects.live()
        .filter(funding_call_id=page.pk)
        .select_related("organisation__region")
        .order_by("-published_at")[:50]
    )
