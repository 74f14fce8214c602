{%- set entry = cookiecutter._runtimes[cookiecutter.runtime] -%}
// Rename the module to where its code lives (e.g. github.com/org/repo) if other modules import it;
// the example.com prefix keeps the path clear of standard-library names such as "time" or "net".
module example.com/{{ cookiecutter.project_slug }}

go {{ entry.version }}

// go.sum holds the checksums of this exact version: change both together (go get, then go mod tidy).
require github.com/aws/aws-lambda-go v1.55.1
