from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from config import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="leads:board", permanent=False), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("leads.urls")),
    path("", include("followups.urls")),
    path("", include("followups.dashboard_urls")),
    path("imports/", include("leads.import_urls")),
    path("api/", include("leads.api_urls")),
    path("companies/", include("leads.company_urls")),
]
