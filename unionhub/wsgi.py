import os

from django.core.wsgi import get_wsgi_application

from unionhub.settings import DEFAULT as DEFAULT_SETTINGS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
application = get_wsgi_application()
