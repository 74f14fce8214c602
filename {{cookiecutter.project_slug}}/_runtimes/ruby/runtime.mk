# Ruby recipes, included by the Makefile.
# With Ruby {{ cookiecutter._runtimes[cookiecutter.runtime].version }}, the version the Gemfile declares, everything runs through Bundler (gems in vendor/bundle).
# With another Ruby (e.g. a distribution's), tests and lint run on the rake, minitest and rubocop installed
# for it, without Bundler, which would refuse the declared version: the code is plain Ruby, valid from 3.1.
RUBY ?= ruby
RUBY_SERIES := {{ cookiecutter._runtimes[cookiecutter.runtime].version }}
SAME_RUBY := $(shell $(RUBY) -e 'print RUBY_VERSION.start_with?("$(RUBY_SERIES).") ? "yes" : "no"' 2>/dev/null)

ifeq ($(SAME_RUBY),yes)
BUNDLE_EXEC := bundle exec
else
BUNDLE_EXEC :=
endif

.bundle/.installed: Gemfile
	bundle config set --local path vendor/bundle
	bundle install
	touch $@

.PHONY: deps unit-test lint native-build
ifeq ($(SAME_RUBY),yes)
deps: .bundle/.installed ## Install the Gemfile's gems into vendor/bundle with Bundler
else
deps:
	@echo "note: this Ruby is not $(RUBY_SERIES).x: using the rake, minitest and rubocop installed for it, without Bundler"
endif

unit-test: deps
	$(BUNDLE_EXEC) rake test

ifeq ($(SAME_RUBY),yes)
lint: deps ## Check the code with RuboCop (.rubocop.yml)
	bundle exec rubocop
else
# An older RuboCop may not know the declared Ruby: check the code as this machine's Ruby instead.
lint: deps
	mkdir -p .bundle
	printf 'inherit_from: ../.rubocop.yml\nAllCops:\n  TargetRubyVersion: %s\n' \
		"$$($(RUBY) -e 'print RUBY_VERSION[/\A\d+\.\d+/]')" > .bundle/rubocop-this-ruby.yml
	rubocop --config .bundle/rubocop-this-ruby.yml
endif

native-build: deps ## Prepare native emulator mode: Ruby {{ cookiecutter._runtimes[cookiecutter.runtime].version }} with the Gemfile's gems, aws_lambda_ric among them
	@if [ "$(SAME_RUBY)" != yes ]; then \
		echo "native mode runs lib/ under bundle exec aws_lambda_ric, which needs Ruby $(RUBY_SERIES).x (this is: $$($(RUBY) -v 2>&1))" >&2; \
		exit 1; \
	fi
