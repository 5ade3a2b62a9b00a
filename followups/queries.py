from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from followups.models import FollowUpTask
from leads import roles


def open_followups_for(user: AbstractBaseUser) -> QuerySet[FollowUpTask]:
    """Open tasks assigned to the user on leads they may see, oldest due first (overdue on top)."""
    visible = roles.visible_leads(user)
    return (
        FollowUpTask.objects.filter(status=FollowUpTask.Status.OPEN, assignee=user, lead__in=visible)
        .select_related("lead__company", "contact", "offer")
        .order_by("due_at")
    )
