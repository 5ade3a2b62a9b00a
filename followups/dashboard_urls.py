from django.urls import path

from followups import dashboard_views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", dashboard_views.dashboard_page, name="page"),
    path("dashboard/<slug:chart>.csv", dashboard_views.chart_csv, name="csv"),
]
