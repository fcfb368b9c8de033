from .roles import is_provincial


def roles(request):
    """What the navigation needs to know of the user's role."""
    user = getattr(request, "user", None)
    return {"user_is_provincial": bool(user and user.is_authenticated and is_provincial(user))}
