from .views import case_pages, path_pages

app_name = "cases"

urlpatterns = case_pages.urlpatterns + path_pages.urlpatterns
