from django.urls import path

from followups import views

app_name = "followups"
urlpatterns = [
    path("followups/", views.my_followups, name="mine"),
]
