from django.urls import path

from followups import views

app_name = "followups"
urlpatterns = [
    path("followups/", views.my_followups, name="mine"),
    path("followups/<int:pk>/", views.task_detail, name="task"),
    path("followups/<int:pk>/compose/", views.compose, name="compose"),
    path("followups/<int:pk>/send/", views.send, name="send"),
    path("followups/<int:pk>/offer/", views.attach_offer, name="attach_offer"),
    path("followups/<int:pk>/complete/", views.complete, name="complete"),
    path("followups/<int:pk>/skip/", views.skip, name="skip"),
    path("followups/<int:pk>/snooze/", views.snooze, name="snooze"),
    path("followups/urgent/<int:lead_pk>/", views.raise_urgent, name="urgent"),
]
