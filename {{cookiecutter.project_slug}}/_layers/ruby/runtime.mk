# Ruby recipes, included by the Makefile.
# With Ruby {{ cookiecutter._runtimes[cookiecutter.runtime].version }}, the version the Gemfile declares, everything runs through Bundler (gems in vendor/bundle).
# With another Ruby (e.g. a distribution's), tests and lint run on the rake, minitest and rubocop installed
# for it, without Bundler, which would refuse the declared version: the code is plain Ruby, valid from RUBY_OLDEST.
RUBY ?= ruby
RUBY_SERIES := {{ cookiecutter._runtimes[cookiecutter.runtime].version }}
RUBY_OLDEST := 3.1
INSTALL_RUBY := install Ruby $(RUBY_SERIES) with Bundler (e.g. rbenv install $(RUBY_SERIES))
SAME_RUBY := $(shell $(RUBY) -e 'print RUBY_VERSION.start_with?("$(RUBY_SERIES).") ? "yes" : "no"' 2>/dev/null)

ifeq ($(SAME_RUBY),yes)
BUNDLE_EXEC := bundle exec
else
BUNDLE_EXEC :=
endif

.PHONY: deps unit-test lint native-build
toolchain:
	@$(CHECK) --tool Ruby --min $(RUBY_OLDEST) --fix '$(INSTALL_RUBY), $(OR_CONTAINER_MODE)' -- $(RUBY) --version
ifeq ($(SAME_RUBY),yes)
	@$(CHECK) --tool Bundler --fix 'gem install bundler, $(OR_CONTAINER_MODE)' -- bundle --version
else
	@$(CHECK) --tool rake --fix 'install rake and minitest for this Ruby (gem install rake minitest), or $(INSTALL_RUBY), $(OR_CONTAINER_MODE)' -- rake --version
endif

# Native mode runs lib/ under bundle exec aws_lambda_ric, on the Ruby the Gemfile declares.
native-toolchain:
	@$(CHECK) --for '{{ cookiecutter.runtime }} native mode' --tool Ruby --series $(RUBY_SERIES) \
		--fix '$(INSTALL_RUBY) and run make deps, $(OR_CONTAINER_MODE)' -- $(RUBY) --version
	@$(CHECK) --for '{{ cookiecutter.runtime }} native mode' --tool Bundler \
		--fix 'gem install bundler and run make deps, $(OR_CONTAINER_MODE)' -- bundle --version

.bundle/.installed: Gemfile | toolchain
	bundle config set --local path vendor/bundle
	bundle install
	touch $@

ifeq ($(SAME_RUBY),yes)
deps: .bundle/.installed ## Install the Gemfile's gems into vendor/bundle with Bundler
else
deps: toolchain
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

native-build: native-toolchain deps ## Prepare native emulator mode: Ruby {{ cookiecutter._runtimes[cookiecutter.runtime].version }} with the Gemfile's gems, aws_lambda_ric among them
