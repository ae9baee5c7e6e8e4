def navigation(request):
    """What the navigation shows: only links the user may follow."""
    user = getattr(request, "user", None)
    return {"can_review": bool(user and user.is_authenticated and user.has_perm("reports.review_report"))}
