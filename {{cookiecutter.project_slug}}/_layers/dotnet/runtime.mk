{%- set project = cookiecutter.__dotnet_name -%}
# .NET recipes, included by the Makefile. They need the .NET {{ cookiecutter._runtimes[cookiecutter.runtime].version }} SDK (`dotnet`).
DOTNET ?= dotnet
SOLUTION := {{ project }}.sln
NATIVE_DIR := bin/native

.PHONY: deps unit-test native-build
# `dotnet --version` is the SDK's version (an SDK builds its own and older target frameworks).
toolchain:
	@$(CHECK) --tool '.NET SDK' --min {{ cookiecutter._runtimes[cookiecutter.runtime].version }} \
		--fix 'install the .NET {{ cookiecutter._runtimes[cookiecutter.runtime].version }} SDK (https://dot.net), $(OR_CONTAINER_MODE)' \
		-- $(DOTNET) --version

native-toolchain: toolchain

deps: toolchain ## Restore the NuGet packages of every project in the solution
	$(DOTNET) restore $(SOLUTION)

unit-test: deps ## Run the xUnit tests (dotnet test, offline once restored)
	$(DOTNET) test $(SOLUTION) --no-restore

{%- if cookiecutter.base_image == "aws" %}

# LambdaHost loads the function by its handler string through Amazon.Lambda.RuntimeSupport, as the AWS base image does.
native-build: deps ## Publish the function with its local host into bin/native/ for native emulator mode
	rm -rf $(NATIVE_DIR)
	$(DOTNET) publish tools/LambdaHost/LambdaHost.csproj --no-restore --configuration Release --output $(NATIVE_DIR)
{%- else %}

# The custom-base image runs the function's own Main (Amazon.Lambda.RuntimeSupport); native mode runs the same.
native-build: deps ## Publish the function into bin/native/ for native emulator mode
	rm -rf $(NATIVE_DIR)
	$(DOTNET) publish src/{{ project }}/{{ project }}.csproj --no-restore --configuration Release --output $(NATIVE_DIR)
{%- endif %}
