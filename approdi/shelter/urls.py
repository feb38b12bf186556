from django.urls import path

from . import night_views, structure_views, views

app_name = "shelter"

urlpatterns = [
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/new/", structure_views.new_structure, name="structure_new"),
    path("structures/<str:code>/", views.structure_detail, name="structure_detail"),
    path("structures/<str:code>/settings/", structure_views.structure_settings, name="structure_settings"),
    path("board/", views.bed_board, name="board"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("waiting-list/<int:pk>/place/", views.place_from_request, name="place"),
    path("placements/<int:pk>/", views.placement_detail, name="placement"),
    path("placements/<int:pk>/move/", views.placement_move, name="placement_move"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
    path("placements/<int:pk>/diary/", views.diary_add, name="diary_add"),
    path("night-entry/", night_views.night_entry, name="night_entry"),
    path("alerts/", views.alerts, name="alerts"),
    path("occupancy/", views.occupancy, name="occupancy"),
]
