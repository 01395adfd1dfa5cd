import os

from django.core.wsgi import get_wsgi_application

# Owner and group only, for every file the web processes write (lindung.common.files).
os.umask(0o027)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
application = get_wsgi_application()
