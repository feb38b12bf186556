from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "approdi.api"
    label = "api"
