from django.urls import path

from . import budget_views, partner_views, views

app_name = "network"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<str:code>/", views.programme_detail, name="programme_detail"),
    path("budgets/", budget_views.budget_page, name="budgets"),
    path("targets/", views.target_page, name="targets"),
    path("partners/", partner_views.partner_page, name="partners"),
]
