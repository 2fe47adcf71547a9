"""Who may do what with an event's registrations: one place, used by views and templates."""


def can_manage_event(user, page) -> bool:
    """Organisers: whoever may edit the event page (its region's editors, moderators,
    administrators) sees the attendees, exports them and runs the B2B timetable."""
    if not user.is_authenticated:
        return False
    return page.permissions_for_user(user).can_edit()
