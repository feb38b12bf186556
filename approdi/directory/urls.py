from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.body_list, name="body_list"),
    path("print/", views.body_print, name="body_print"),
    path("directory.csv", views.export_csv, name="export_csv"),
    path("directory.vcf", views.export_vcard, name="export_vcard"),
    path("new/", views.body_new, name="body_new"),
    path("<int:pk>/", views.body_detail, name="body_detail"),
    path("<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("<int:pk>/referents/<int:referent>/remove/", views.referent_remove, name="referent_remove"),
    path("protocols/", views.protocol_list, name="protocol_list"),
    path("protocols/new/", views.protocol_new, name="protocol_new"),
    path("protocols/<int:pk>/", views.protocol_detail, name="protocol_detail"),
    path("protocols/<int:pk>/edit/", views.protocol_edit, name="protocol_edit"),
    path("protocols/<int:pk>/document.pdf", views.protocol_document, name="protocol_document"),
    path(
        "protocols/<int:pk>/obligations/<int:obligation>/remove/",
        views.obligation_remove,
        name="obligation_remove",
    ),
]
