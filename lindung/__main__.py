"""The `lindung` console command: everything manage.py does, plus Lindung's own commands."""

import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    # Owner and group only, for every file any command writes (lindung.common.files).
    os.umask(0o027)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["lindung", *sys.argv[1:]])
    finally:
        # The process ends with the command: everything alive now is only freed, so the
        # cycle collections of the interpreter's exit may skip it. After a full-size
        # `lindung verify` they walked the whole heap, the matching's caches included
        # (about a second of the command's teardown; docs/benchmarks.md, session 3).
        gc.freeze()


if __name__ == "__main__":
    main()
