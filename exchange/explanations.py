"""Match explanations in the reader's language, from the reasons stored with a match: each rule
of the buyer's specification that was checked, with fibre and value names, never codes."""

import functools

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.taxonomy import FIBRE_FAMILY_LABELS, FIBRE_LABELS

FAMILY_PREFIX = "family:"  # as exchange.models.FAMILY_PREFIX (models import this module)

FIELD_LABELS = {
    "form": gettext_lazy("form"),
    "origin": gettext_lazy("origin"),
    "production_stage": gettext_lazy("production stage"),
    "colour": gettext_lazy("colour"),
    "grade": gettext_lazy("grade"),
    "legal_status": gettext_lazy("legal status"),
    "supply_pattern": gettext_lazy("supply rhythm"),
}


# Each use's name, translated when a phrase is written.
USES = {
    "reuse": gettext_lazy("reuse"),
    "upcycling": gettext_lazy("upcycling"),
    "recycling": gettext_lazy("recycling"),
    "preparation for recycling": gettext_lazy("preparation for recycling"),
    "collection": gettext_lazy("collection"),
    "energy recovery": gettext_lazy("energy recovery"),
    "recovery": gettext_lazy("recovery"),
}


@functools.cache
def _value_labels():
    """{field: {value: label}}, the labels lazy (translated when a phrase is written): made once,
    where each explanation of the matches page (twenty a page) made its eight dicts again."""
    # The choices live beside their fields; models import this module (Match.explanation).
    from .models import listings

    return {
        "form": dict(listings.MaterialForm.choices),
        "origin": dict(listings.Origin.choices),
        "production_stage": dict(listings.ProductionStage.choices),
        "colour": dict(listings.Colour.choices),
        "grade": dict(listings.Grade.choices),
        "legal_status": dict(listings.LegalStatus.choices),
        "supply_pattern": dict(listings.SupplyPattern.choices),
        "contaminant": dict(listings.Contaminant.choices),
    }


def fibre_name(subject):
    """ "cotton", or "synthetic fibres" for a family limit, in the active language."""
    if subject.startswith(FAMILY_PREFIX):
        return str(FIBRE_FAMILY_LABELS.get(subject.removeprefix(FAMILY_PREFIX), subject)).lower()
    return str(FIBRE_LABELS.get(subject, subject))


def _number(value):
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, 1)
    return number_format(round(value), 0, force_grouping=True)


def explain(reasons):
    """Word stored reasons in the active language."""
    values = _value_labels()
    phrases = []
    for reason in reasons:
        if not isinstance(reason, list | tuple) or len(reason) != 2:
            continue  # written by an older scoring; the next recomputation replaces it
        key, params = reason
        if key == "code":
            phrases.append(_("waste code %(code)s accepted") % params)
        elif key == "hazardous":
            phrases.append(
                _("hazardous waste (%(code)s): the buyer is authorised to receive it") % params
            )
        elif key == "fibre_min":
            phrases.append(
                _("%(share)s%% %(fibre)s (at least %(limit)s%% wanted)")
                % {**params, "fibre": fibre_name(params["fibre"])}
            )
        elif key == "fibre_max" and params["unknown"]:
            phrases.append(
                _("%(share)s%% %(fibre)s and %(unknown)s%% unknown fibre (at most %(limit)s%%)")
                % {**params, "fibre": fibre_name(params["fibre"])}
            )
        elif key == "fibre_max":
            phrases.append(
                _("%(share)s%% %(fibre)s (at most %(limit)s%%)")
                % {**params, "fibre": fibre_name(params["fibre"])}
            )
        elif key == "any_fibre":
            composition = ", ".join(
                f"{percent}% {fibre_name(fibre)}" for fibre, percent in params["lines"]
            )
            phrases.append(
                _("any fibre accepted (offered: %(composition)s)") % {"composition": composition}
                if composition
                else _("any fibre accepted")
            )
        elif key == "accepted":
            field = params["field"]
            phrases.append(
                _("%(field)s accepted: %(value)s")
                % {
                    "field": FIELD_LABELS.get(field, field),
                    "value": values.get(field, {}).get(params["value"], params["value"]),
                }
            )
        elif key == "clean":
            items = ", ".join(
                str(values["contaminant"].get(item, item)).lower() for item in params["refused"]
            )
            phrases.append(_("free of %(items)s") % {"items": items})
        elif key == "lot":
            phrases.append(
                _("lot of %(kg)s kg within the buyer's limits") % {"kg": _number(params["kg"])}
            )
        elif key == "permit":
            phrases.append(_("the receiver holds a waste permit, as the offer requires"))
        elif key == "pick_up":
            phrases.append(_("the receiver collects, as the offer requires"))
        elif key == "coverage":
            rhythm = _("one-off") if params["one_off"] else _("monthly")
            phrases.append(
                _("covers %(percent)s%% of the %(rhythm)s need")
                % {"percent": params["percent"], "rhythm": rhythm}
            )
        elif key == "distance":
            phrases.append(_distance_phrase(params))
        elif key == "no_location":
            phrases.append(_("distance unknown: a site has no location yet"))
        elif key == "hierarchy":
            phrases.append(
                _("destined for %(use)s") % {"use": USES.get(params["use"], params["use"])}
            )
    return phrases


def _distance_phrase(params):
    km, co2, radius = params["km"], params.get("co2"), params.get("radius")
    if km < 1:
        where = _("on the same site or next door (under 1 km)")
    elif radius:
        where = _("%(km)s km (within the buyer's %(radius)s km)") % {
            "km": _number(km),
            "radius": _number(radius),
        }
    else:
        where = _("%(km)s km") % {"km": _number(km)}
    if co2 is None or co2 < 0.1:
        return where  # too little to state: never "about 0.0 kg"
    return _("%(where)s, about %(co2)s kg CO2e by road") % {
        "where": where,
        "co2": _number(co2),
    }


def describe_specification(listing):
    """A wanted listing's specification (or an offer's requirements of its receiver) as
    ``[(label, text)]`` in the active language, for the listing page."""
    values = _value_labels()
    rows = []
    if listing.is_offer:
        if listing.requires_permit:
            rows.append((_("Receiver"), _("must hold a waste permit")))
        if listing.requires_pick_up:
            rows.append((_("Collection"), _("pick-up only: the receiver collects")))
        return rows
    codes = [accepted.get_code_display() for accepted in listing.accepted_codes.all()]
    rows.append((_("Waste codes accepted"), "; ".join(codes) if codes else _("any code")))
    rules = []
    for limit in listing.fibre_limits.all():
        name = fibre_name(limit.fibre)
        if limit.min_percent is not None and limit.max_percent is not None:
            rules.append(
                _("%(fibre)s %(min)s–%(max)s%%")
                % {"fibre": name, "min": limit.min_percent, "max": limit.max_percent}
            )
        elif limit.min_percent is not None:
            rules.append(
                _("%(fibre)s at least %(min)s%%") % {"fibre": name, "min": limit.min_percent}
            )
        else:
            rules.append(
                _("%(fibre)s at most %(max)s%%") % {"fibre": name, "max": limit.max_percent}
            )
    if listing.any_fibre:
        rules.insert(0, _("any fibre"))
    rows.append((_("Fibre rules"), "; ".join(rules) if rules else _("any fibre")))
    for field, label in [
        ("accepted_forms", _("Forms accepted")),
        ("accepted_origins", _("Origins accepted")),
        ("accepted_stages", _("Production stages accepted")),
        ("accepted_colours", _("Colours accepted")),
        ("accepted_grades", _("Grades accepted")),
        ("accepted_legal_statuses", _("Legal statuses accepted")),
        ("accepted_supply_patterns", _("Supply rhythms accepted")),
    ]:
        accepted = getattr(listing, field)
        if accepted:
            labels = values[_ACCEPTED_VALUES[field]]
            rows.append((label, ", ".join(str(labels.get(value, value)) for value in accepted)))
    if listing.refused_contaminants:
        refused = ", ".join(
            str(values["contaminant"].get(item, item)).lower()
            for item in listing.refused_contaminants
        )
        rows.append((_("Contaminants and trims refused"), refused))
    if listing.min_lot_kg is not None or listing.max_lot_kg is not None:
        low = _number(float(listing.min_lot_kg)) if listing.min_lot_kg is not None else "…"
        high = _number(float(listing.max_lot_kg)) if listing.max_lot_kg is not None else "…"
        rows.append((_("Lot size"), _("%(min)s – %(max)s kg") % {"min": low, "max": high}))
    rows.append(
        (
            _("Distance"),
            _("within %(km)s km") % {"km": _number(listing.radius_km)}
            if listing.radius_km
            else _("any distance"),
        )
    )
    rows.append(
        (
            _("Hazardous waste"),
            _("accepted") if listing.accepts_hazardous else _("not accepted"),
        )
    )
    if listing.holds_permit:
        rows.append((_("Permit"), _("holds a waste permit")))
    return rows


_ACCEPTED_VALUES = {
    "accepted_forms": "form",
    "accepted_origins": "origin",
    "accepted_stages": "production_stage",
    "accepted_colours": "colour",
    "accepted_grades": "grade",
    "accepted_legal_statuses": "legal_status",
    "accepted_supply_patterns": "supply_pattern",
}
