from ninja import NinjaAPI

from . import errors
from .auth import BearerToken
from .cases.routes import router as cases_router
from .intake.routes import router as intake_router
from .network.routes import router as network_router
from .outreach.routes import router as outreach_router
from .outreach.sync import router as outreach_sync_router
from .platform.routes import router as platform_router
from .reports.routes import router as reports_router
from .shelter.routes import router as shelter_router


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return errors.document(super().get_openapi_schema(*args, **kwargs))


api = Api(
    title="Approdi API",
    version="1",
    description="Scoped, audited access to Approdi. Authenticate with `Authorization: Bearer <token>`.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", platform_router)
api.add_router("/", network_router)
api.add_router("/", outreach_router)
api.add_router("/", outreach_sync_router)
api.add_router("/", intake_router)
api.add_router("/", shelter_router)
api.add_router("/", cases_router)
api.add_router("/", reports_router)
