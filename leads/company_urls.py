from django.urls import path

from leads import merge_views

app_name = "companies"
urlpatterns = [
    path("<int:company_pk>/merge/", merge_views.merge_page, name="merge_page"),
    path("<int:company_pk>/merge/confirm/", merge_views.merge, name="merge"),
]
