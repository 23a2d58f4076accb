# UnionHub — the commands a newcomer needs. `make demo` and `make test` do all the set-up.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# System libraries WeasyPrint needs, the CJK font for Chinese PDFs, gettext for translations,
# Chromium for the end-to-end browser test, poppler-utils to look at PDFs.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext chromium poppler-utils

.PHONY: install system-deps demo serve test bench lint migrations-check clean

install: system-deps $(VENV)/.installed locale/zh_Hans/LC_MESSAGES/django.mo

system-deps:
	@if dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing system packages: $(SYSTEM_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "!! Not root: please install these Debian/Ubuntu packages yourself:"; \
		echo "!!   sudo apt-get install $(SYSTEM_PACKAGES)"; \
		echo "!! (PDFs and the browser test need them; everything else works without.)"; \
	fi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	@touch $@

locale/zh_Hans/LC_MESSAGES/django.mo: locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	$(PY) manage.py compilemessages -l zh_Hans -v 0

demo: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(VENV)/bin/pytest --create-db

bench: install
	$(PY) benchmarks/run.py
	$(PY) benchmarks/import_dues.py
	$(PY) benchmarks/rota.py
	$(PY) benchmarks/certificates.py
	$(PY) benchmarks/fund_statement.py
	$(PY) benchmarks/cases.py
	$(PY) benchmarks/associations.py
	$(PY) benchmarks/cards.py
	$(PY) benchmarks/counter.py
	$(PY) benchmarks/reports.py
	$(PY) benchmarks/rules_search.py

lint: install
	$(VENV)/bin/ruff check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/*.sqlite3 var/media
