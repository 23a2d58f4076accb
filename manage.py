#!/usr/bin/env python
"""Django's command-line utility for UnionHub."""

import os
import sys

from unionhub.settings import DEFAULT as DEFAULT_SETTINGS


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
