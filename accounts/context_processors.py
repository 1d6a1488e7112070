def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_register": user.has_perm("referrals.register_case"),
        "nav_sees_cases": user.role not in ("", "functioneel_beheerder", "backoffice", "privacy_officer"),
        "nav_access_log": user.role == "privacy_officer",
    }
