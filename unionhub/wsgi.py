import os

from django.core.wsgi import get_wsgi_application

from unionhub import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.DEFAULT)
application = get_wsgi_application()
