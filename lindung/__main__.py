"""The `lindung` console command: everything manage.py does, plus Lindung's own commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    # Owner and group only, for every file any command writes (lindung.common.files).
    os.umask(0o027)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lindung", *sys.argv[1:]])


if __name__ == "__main__":
    main()
