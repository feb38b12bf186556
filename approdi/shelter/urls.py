from django.urls import path

from . import views

app_name = "shelter"

urlpatterns = [
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/<str:code>/", views.structure_detail, name="structure_detail"),
]
