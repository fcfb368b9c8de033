def platform_attributes(user, service):
    """What the platform tells a service of a user: the name, and its 工号 (employee number,
    kept in the server's last_name field)."""
    return {
        "displayName": user.get_full_name() or user.get_username(),
        "employeeNumber": user.last_name,
    }
