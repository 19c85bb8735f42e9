"""URL routes: the admin, the pages (with their login and logout) and the JSON API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("dcmodel.api")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("dcmodel.pages")),
    path("", RedirectView.as_view(pattern_name="pages:workbook_list", permanent=False)),
]
