# UnionHub — the commands a newcomer needs. `make demo` and `make test` do all the set-up.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# System libraries WeasyPrint needs, the CJK font for Chinese PDFs, gettext for translations,
# Chromium for the end-to-end browser test, poppler-utils to look at PDFs.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext chromium poppler-utils

.PHONY: install system-deps demo test bench lint lock migrations-check clean

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

# Every dependency comes from requirements.lock (pinned, with hashes); the project itself is then
# installed in place without resolving anything more.
$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --require-hashes -r requirements.lock
	$(PIP) install -q --no-deps -e .
	@touch $@

locale/zh_Hans/LC_MESSAGES/django.mo: locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	$(PY) manage.py compilemessages -l zh_Hans -v 0

demo: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(VENV)/bin/pytest -n 2 --dist load --create-db

bench: install
	$(PY) benchmarks/run.py
	$(PY) benchmarks/import_dues.py
	$(PY) benchmarks/import_registry.py
	$(PY) benchmarks/rota.py
	$(PY) benchmarks/certificates.py
	$(PY) benchmarks/fund_statement.py
	$(PY) benchmarks/cases.py
	$(PY) benchmarks/associations.py
	$(PY) benchmarks/cards.py
	$(PY) benchmarks/counter.py
	$(PY) benchmarks/reports.py
	$(PY) benchmarks/rules_search.py
	$(PY) benchmarks/notices.py
	$(PY) benchmarks/member_area.py
	$(PY) benchmarks/oversight.py
	$(PY) benchmarks/contests.py
	$(PY) benchmarks/jobs.py
	$(PY) benchmarks/honours.py
	$(PY) benchmarks/tutoring.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Re-resolve requirements.lock from the ranges in pyproject.toml (a deliberate upgrade: review the diff).
lock: install
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --no-header --quiet -o requirements.lock.new
	{ sed -n '1,/^$$/p' requirements.lock; cat requirements.lock.new; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.lock && rm requirements.lock.new

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/*.sqlite3 var/media
