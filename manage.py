#!/usr/bin/env python
"""Django's command-line utility for UnionHub."""

import os
import sys

from unionhub import settings


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.DEFAULT)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
