# powerlist — everything a fresh machine needs is created by these targets.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
CATALOG ?= catalog

.PHONY: install demo test lint bench schema browser clean help lock

help:
	@echo "make demo    check the demo catalogue (creates .venv first)"
	@echo "make test    run the whole test suite (creates .venv, installs Chromium for the site test)"
	@echo "make lint    ruff + mypy"
	@echo "make bench   speed table (synthetic catalogues, side by side with yamllint/check-jsonschema)"
	@echo "make schema  regenerate schemas/ from the models"
	@echo "make lock    refresh requirements.lock to the newest allowed versions, then run the suite"

# Installs are locked: requirements.lock pins every package (dev tools and the build backend
# included) with hashes, so a fresh machine gets exactly the versions the suite passed with.
# editable_mode=compat: a plain path in a .pth file; the default import-hook finder costs every
# powerlist process ~40 ms at start-up (measured: python -c pass 0.06 s -> 0.02 s). compileall: as
# pip does for any installed package; where PYTHONDONTWRITEBYTECODE is set, an editable install
# would compile every module from source in every run (~0.35 s of a 2,500-power check).
$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q --require-hashes -r requirements.lock
	$(BIN)/pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e . --config-settings editable_mode=compat
	$(BIN)/python -m compileall -q powerlist
	touch $(STAMP)

install: $(STAMP)

# The demo has findings on purpose: exit 1 (findings) is success here, 2 (could not run) is not.
demo: $(STAMP)
	$(BIN)/powerlist check $(CATALOG) || test $$? -eq 1

test: $(STAMP) browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check powerlist tests bench
	$(BIN)/mypy
	$(BIN)/mypy bench

bench: $(STAMP)
	$(BIN)/python -m bench.run

schema: $(STAMP)
	$(BIN)/powerlist schema --out schemas

# Refresh the lock to the newest versions pyproject.toml allows, reinstall, and run the suite:
# commit requirements.lock only when this passes.
lock:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 \
	  --upgrade -q -o requirements.lock
	$(BIN)/pip uninstall -y -q uv
	rm -f $(STAMP)
	$(MAKE) test

# Chromium from Debian's packages, for the exported-site browser test, and a Chinese font (the site
# bundles none; WenQuanYi Micro Hei is in its font stack and is the smallest Debian CJK font).
browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
	  && test -n "$$(fc-list :lang=zh 2>/dev/null)" || { \
	  echo "installing chromium + chromium-driver + fonts-wqy-microhei (Debian packages)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
	    fontconfig fonts-wqy-microhei >/dev/null; }

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
