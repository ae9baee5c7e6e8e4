"""A user's role and agency, read once per user object (predicates ask many times per request)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    name: str | None  # office, reviewer, agency_editor, viewer; None: no profile (refused everything)
    agency_id: int | None


NO_ROLE = Role(None, None)


def role_of(user) -> Role:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ROLE
    cached = getattr(user, "_baqylau_role", None)
    if cached is None:
        from .models import Profile

        profile = Profile.objects.filter(user_id=user.pk).values("role", "agency_id").first()
        if profile:
            cached = Role(profile["role"], profile["agency_id"])
        else:
            # A superuser without a profile (e.g. created with createsuperuser) is the project office.
            cached = Role("office", None) if user.is_superuser else NO_ROLE
        user._baqylau_role = cached
    return cached
