from .roles import is_auditor, is_provincial, is_submitter


def roles(request):
    """What the navigation needs to know of the user's role."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"user_is_provincial": False, "user_can_import": False, "user_is_auditor": False}
    provincial = is_provincial(user)
    return {
        "user_is_provincial": provincial,
        "user_can_import": provincial or is_submitter(user),
        "user_is_auditor": is_auditor(user),
    }
