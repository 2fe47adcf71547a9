"""Match explanations in the reader's language, from the reasons stored with a match."""

from django.utils.translation import gettext as _


def explain(reasons):
    """Word stored reasons in the active language."""
    uses = {
        "reuse": _("reuse"),
        "upcycling": _("upcycling"),
        "recycling": _("recycling"),
        "preparation for recycling": _("preparation for recycling"),
        "collection": _("collection"),
        "energy recovery": _("energy recovery"),
        "recovery": _("recovery"),
    }
    phrases = []
    for reason in reasons:
        if not isinstance(reason, list | tuple) or len(reason) != 2:
            continue  # written by an older scoring; the next recomputation replaces it
        key, params = reason
        if key == "composition":
            phrases.append(
                _("%(offer)s vs ≥%(percent)s%% %(fibre)s wanted")
                % {**params, "offer": params["offer"] or _("unknown composition")}
            )
        elif key == "code":
            phrases.append(_("same waste code %(code)s") % params)
        elif key == "coverage":
            rhythm = _("one-off") if params["one_off"] else _("monthly")
            phrases.append(
                _("covers %(percent)s%% of the %(rhythm)s need")
                % {"percent": params["percent"], "rhythm": rhythm}
            )
        elif key == "distance" and params["co2"] is not None:
            phrases.append(_("%(km)s km, about %(co2)s kg CO2e by road") % params)
        elif key == "distance":
            phrases.append(_("%(km)s km") % params)
        elif key == "hierarchy":
            phrases.append(
                _("destined for %(use)s") % {"use": uses.get(params["use"], params["use"])}
            )
    return phrases
