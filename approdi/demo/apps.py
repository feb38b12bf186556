from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top layer: the seeds' demo network and activity, written through every app's services. No models."""

    name = "approdi.demo"
    label = "demo"
