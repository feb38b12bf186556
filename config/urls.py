from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from approdi.accounts import urls as accounts_urls
from approdi.api.api import api
from approdi.api.outreach.sync import page_sync
from approdi.core import views as core_views
from approdi.core.permissions import allow_unverified
from approdi.network import urls as network_urls
from approdi.outreach import urls as outreach_urls
from approdi.public import views as public_views

# The network's set-up pages come from three layers; the namespace is composed here, where any app may be
# imported. Upper layers' pages first: "programmes/new/" before the network's "programmes/<str:code>/".
network_pages = (
    [*accounts_urls.network_urlpatterns, *outreach_urls.network_urlpatterns, *network_urls.urlpatterns],
    network_urls.app_name,
)

urlpatterns = [
    path("", include("approdi.core.urls")),
    path("accounts/", include("approdi.accounts.urls")),
    path("network/", include(network_pages)),
    path("oncall/", include("approdi.oncall.urls")),
    path("directory/", include("approdi.directory.urls")),
    # The outreach web app's queue, sent under the session (the API itself takes only bearer tokens).
    path("outreach/sync/", page_sync, name="outreach_sync"),
    path("governance/", include("approdi.governance.urls")),
    path("training/", include("approdi.training.urls")),
    path("outreach/", include("approdi.outreach.urls")),
    path("filtro/", include("approdi.intake.urls")),
    path("shelter/", include("approdi.shelter.urls")),
    path("cases/", include("approdi.cases.urls")),
    path("cases/", include("approdi.intake.conference_urls")),
    path("reports/", include("approdi.reports.urls")),
    path("audit/", include("approdi.accounts.audit_log.urls")),
    path("audit/access/", include("approdi.intake.access_urls")),
    path("public-site/", include("approdi.public.staff_urls")),
    # The public site (no sign-in) and the neutral page its "leave quickly" button opens.
    path("help/", include("approdi.public.urls")),
    path("today/", public_views.neutral, name="neutral_page"),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("i18n/setlang/", allow_unverified(set_language), name="set_language"),
    path("i18n/js/", allow_unverified(JavaScriptCatalog.as_view()), name="javascript_catalog"),
]

handler403 = "approdi.core.views.error_403"
handler404 = "approdi.core.views.error_404"
handler500 = "approdi.core.views.error_500"
