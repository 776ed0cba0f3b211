# Lodestone — the commands a newcomer needs. See README.md.
#
#   make run     start Lodestone on the embedded default data (installs missing packages first)
#   make test    run the whole test suite (swift test)
#   make build   debug build          make release   optimized build
#   make bench   performance benchmark (optimized)
#   make asan    the whole test suite under AddressSanitizer and LeakSanitizer (.build-asan)
#   make tsan    the whole test suite under ThreadSanitizer (.build-tsan)
#   make deps    install the Debian packages the build needs, only those missing
#   make jupyter the Jupyter kernel `lodestone` (pip-installs Integrations/jupyter, registers it)
#   make install lodestone, its plugins, man page and shell completions under PREFIX (/usr/local)
#   make man     the man page lodestone.1 (in .build/man), generated from the argument parser
#
# Pass arguments to the executable with ARGS, e.g. `make run ARGS="run Examples/curb-2026.lode"`.

SWIFT ?= swift
ARGS ?=
PYTHON ?= python3
# The build configuration `make jupyter` and `make install` use.
CONFIG ?= release
PREFIX ?= /usr/local
# Staging root for packagers: `make install DESTDIR=pkg/`.
DESTDIR ?=

# Root installs directly; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test build release bench asan tsan deps jupyter install man

run: deps
	$(SWIFT) run lodestone $(ARGS)

test: deps
	$(SWIFT) test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

bench: deps
	$(SWIFT) run -c release lodestone bench

# The sanitizer runs (Docs/Hardening.md, "Sanitizers"). The options reach the `lodestone`
# processes the tests start through the environment. LeakSanitizer skips the third-party leaks
# listed in Tests/Sanitizers/lsan.supp and does not print the list of suppressions it used (the
# tests compare standard error exactly). The industry plugin, built with ThreadSanitizer too, needs
# the runtime's symbols from the executable that loads it: hence --export-dynamic.
SANITIZERS := $(CURDIR)/Tests/Sanitizers

asan: deps
	ASAN_OPTIONS=detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(SANITIZERS)/lsan.supp:print_suppressions=0 \
	$(SWIFT) test --sanitize=address --scratch-path .build-asan

tsan: deps
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan -Xlinker --export-dynamic

# The Jupyter kernel (Docs/Integration.md): builds lodestone, pip-installs the kernel package into
# $(PYTHON)'s environment and registers the kernelspec `lodestone` for this user, recording the
# executable's path. `make jupyter PYTHON=venv/bin/python` installs into a virtual environment.
jupyter: deps
	$(SWIFT) build -c $(CONFIG) --product lodestone
	$(PYTHON) -m pip install ./Integrations/jupyter
	$(PYTHON) -m lodestone_kernel.install --user --lodestone "$(CURDIR)/.build/$(CONFIG)/lodestone"

# `make install`: the executable in PREFIX/bin, the runtime plugins in PREFIX/lib/lodestone
# (where `plugin("NAME")` looks, beside the executable's folder), the man page in
# PREFIX/share/man/man1 and completions for bash, zsh and fish (which complete .lode files after
# `lodestone run`). Writing under /usr/local needs root: `sudo make install`, after a build as
# yourself (`make release`), or `make install PREFIX=$$HOME/.local`.
BUILD_DIR := $(CURDIR)/.build/$(CONFIG)
INSTALL_ROOT := $(DESTDIR)$(PREFIX)

install: deps man
	$(SWIFT) build -c $(CONFIG) --product lodestone
	$(SWIFT) build -c $(CONFIG) --product industry
	install -d "$(INSTALL_ROOT)/bin" "$(INSTALL_ROOT)/lib/lodestone" "$(INSTALL_ROOT)/share/man/man1" \
		"$(INSTALL_ROOT)/share/bash-completion/completions" "$(INSTALL_ROOT)/share/zsh/site-functions" \
		"$(INSTALL_ROOT)/share/fish/vendor_completions.d"
	install -m 755 "$(BUILD_DIR)/lodestone" "$(INSTALL_ROOT)/bin/lodestone"
	install -m 755 "$(BUILD_DIR)"/lib*.so "$(INSTALL_ROOT)/lib/lodestone/"
	install -m 644 .build/man/lodestone.1 "$(INSTALL_ROOT)/share/man/man1/lodestone.1"
	"$(BUILD_DIR)/lodestone" --generate-completion-script bash > "$(INSTALL_ROOT)/share/bash-completion/completions/lodestone"
	"$(BUILD_DIR)/lodestone" --generate-completion-script zsh > "$(INSTALL_ROOT)/share/zsh/site-functions/_lodestone"
	"$(BUILD_DIR)/lodestone" --generate-completion-script fish > "$(INSTALL_ROOT)/share/fish/vendor_completions.d/lodestone.fish"
	@echo "installed lodestone in $(INSTALL_ROOT)/bin (plugins in $(INSTALL_ROOT)/lib/lodestone)"

# The man page, by swift-argument-parser's generate-manual plugin (one page, every subcommand).
man:
	mkdir -p .build/man
	$(SWIFT) package --allow-writing-to-directory .build/man generate-manual \
		--authors "the Lodestone authors" --output-directory .build/man

# Headers (and pkg-config, which SwiftPM uses to find libedit and SQLite) are checked first;
# `apt-get update` runs once, and only when something has to be installed.
deps:
	@missing=""; \
	test -f /usr/include/histedit.h || missing="$$missing libedit-dev"; \
	test -f /usr/include/sqlite3.h || missing="$$missing libsqlite3-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	if [ -n "$$missing" ]; then \
		if ! command -v apt-get >/dev/null 2>&1; then \
			echo "error: missing packages:$$missing (no apt-get here: install them with your package manager)" >&2; \
			exit 1; \
		fi; \
		echo "Installing missing packages:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi
