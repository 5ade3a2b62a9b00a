from django.http import HttpRequest

from leads import roles


def user_roles(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {"is_manager": roles.is_manager(user), "is_admin_role": roles.is_admin(user)}
