from django.urls import path

from . import material_views, offline, views

app_name = "outreach"

urlpatterns = [
    path("", views.index, name="index"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline-key/", offline.offline_key, name="offline_key"),
    path("outings/new/", views.outing_create, name="outing_create"),
    path("outings/offline/", views.outing_offline, name="outing_offline"),
    path("outings/<int:pk>/", views.outing_detail, name="outing_detail"),
    path("outings/<int:pk>/contacts/", views.outing_add_contact, name="outing_add_contact"),
    path("outings/<int:pk>/headcount/", views.outing_add_headcount, name="outing_add_headcount"),
    path("person-code/", views.person_code, name="person_code"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/<str:channel>/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("counts/", views.counts, name="counts"),
    path("import/", views.import_records, name="import"),
    path("import/template/<str:kind>.csv", views.import_template, name="import_template"),
    path("export/<str:kind>.<str:fmt>", views.export_records, name="export"),
]

# The materials outings give out are reference data: served under /network/ in the ``network`` namespace
# (config/urls.py), beside the network's other reference data.
network_urlpatterns = [path("materials/", material_views.material_page, name="materials")]
