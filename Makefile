# guifan — two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: run test bench lint format install system-deps messages clean restore-drill

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

run: $(STAMP) system-deps
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py seed_demo
	@echo "规范性文件备案审查系统: http://$(HOST)/  (Ctrl-C 停止 / to stop)"
	$(BIN)/python manage.py runserver $(HOST)

test: $(STAMP)
	bash scripts/system-deps.sh --with-browser
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP) system-deps
	@for b in bench/lifecycle.py bench/reports.py bench/pages.py bench/workflow.py bench/comments.py bench/api.py bench/review_flags.py; do \
	  if [ -f $$b ]; then echo "== $$b"; $(BIN)/python $$b || exit 1; fi; \
	done

# Back up (database + media + anchors), restore into a fresh database and media
# directory, verify the audit chain there and compare a sample document's outputs
# byte for byte (docs/deploy.md). Uses the same environment as the application.
restore-drill: $(STAMP)
	$(BIN)/python scripts/restore_drill.py drill

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	$(BIN)/python manage.py compilemessages -v 0

clean:
	rm -rf $(VENV) var .pytest_cache test-results
