from ninja import NinjaAPI

from . import errors
from .auth import BearerToken
from .cases_routes import router as cases_router
from .intake_routes import router as intake_router
from .outreach_routes import router as outreach_router
from .reports_routes import router as reports_router
from .routes import router
from .shelter_routes import router as shelter_router


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
api.add_router("/", router)
api.add_router("/", outreach_router)
api.add_router("/", intake_router)
api.add_router("/", shelter_router)
api.add_router("/", cases_router)
api.add_router("/", reports_router)
