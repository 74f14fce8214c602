{%- set entry = cookiecutter._runtimes[cookiecutter.runtime] -%}
module {{ cookiecutter.project_slug }}

go {{ entry.version }}

// go.sum holds the checksums of this exact version: change both together (go get, then go mod tidy).
require {{ entry.runtime_interface_client }}
