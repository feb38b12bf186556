from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "approdi.core"
    label = "core"
