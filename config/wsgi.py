import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Embedded (APPRODI_WORKER_IN_WEB): this process also runs the background tasks, so `make run` needs no worker.
from approdi.core.taskqueue import start_in_web  # noqa: E402 - needs the settings loaded above

start_in_web()
