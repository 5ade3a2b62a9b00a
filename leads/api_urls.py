from django.urls import path

from leads import api

app_name = "api"
urlpatterns = [
    path("inquiries/", api.inquiries, name="inquiries"),
]
