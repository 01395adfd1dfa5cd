from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "lindung.common"
    label = "common"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.backends.signals import connection_created

        from lindung.common.files import private_dir, sqlite_file_private

        connection_created.connect(sqlite_file_private, dispatch_uid="lindung-sqlite-private")
        private_dir(settings.UPLOAD_DIR)
