from django.urls import path

from . import budget_views, partner_views, setup_views, views

app_name = "network"

# config/urls.py adds the set-up pages of the layers above (a new edition, organisations, materials) to
# this namespace, ahead of these: "programmes/new/" must come before "programmes/<str:code>/".

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<str:code>/", views.programme_detail, name="programme_detail"),
    path("budgets/", budget_views.budget_page, name="budgets"),
    path("targets/", views.target_page, name="targets"),
    path("partners/", partner_views.partner_page, name="partners"),
    path("edition/", setup_views.edition_page, name="edition"),
    path("edition/co-funding/<int:line_pk>/", setup_views.edition_page, name="change_co_funding"),
    path("edition/co-funding/<int:pk>/remove/", setup_views.remove_co_funding, name="remove_co_funding"),
    path("areas/", setup_views.area_page, name="areas"),
]
