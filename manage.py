#!/usr/bin/env python
"""Django's manage.py; `lindung` (installed console script) is the same thing."""

from lindung.__main__ import main

if __name__ == "__main__":
    main()
