"""The generated Ruby projects.

Every Ruby variant's unit tests (minitest via rake) and RuboCop run on Debian's Ruby; Bundler's own library
reads each Gemfile; the Dockerfile installs gems where the runtime finds them. Native emulator mode needs the
aws_lambda_ric gem, which this machine cannot get (no RubyGems server): that one test skips, saying so.
"""

import json
import os
import re
import runpy
import shlex
import subprocess
import urllib.request

import pytest

from helpers import (
    CATALOGUE,
    CONFIG,
    LANGUAGES,
    Dockerfile,
    all_variants,
    bake,
    edited_copy,
    event_count,
    require_tool,
    run,
    runtimes_of,
    usable,
    variant_id,
)

RUBY_RUNTIMES = [rid for rid, entry in CATALOGUE.items() if entry["language"] == "ruby"]
RUBY_VARIANTS = [answers for answers in all_variants() if answers["runtime"] in RUBY_RUNTIMES]
NEWEST = runtimes_of("ruby")[0]
TRIGGERS = CONFIG["trigger"]
NO_RIC_GEM = (
    "native mode runs `bundle exec aws_lambda_ric` on Ruby {version}.x; this machine has no such Ruby "
    "or no aws_lambda_ric gem (no RubyGems server is reachable, Debian packages no such gem)"
)


@pytest.fixture(scope="module")
def baked(tmp_path_factory):
    """Bake each set of answers once per module (baking is most of this file's fast-tier time)."""
    projects = {}

    def get(**answers):
        key = tuple(sorted(answers.items()))
        if key not in projects:
            projects[key] = bake(tmp_path_factory.mktemp("ruby"), **answers)
        return projects[key]

    return get


@pytest.fixture(params=RUBY_VARIANTS, ids=variant_id)
def variant(request, baked):
    return request.param, baked(**request.param)


@pytest.fixture(params=RUBY_RUNTIMES)
def runtime_project(request, baked):
    """One variant per runtime: base image and architecture change no Ruby file (see the test below)."""
    return baked(runtime=request.param, base_image="aws", architecture="x86_64")


@pytest.fixture
def ruby34(baked):
    """The direct handler: the checks below edit its greeting and its handler."""
    return baked(runtime="ruby3.4", base_image="aws", architecture="x86_64", trigger="direct")


@pytest.fixture(params=TRIGGERS)
def trigger_project(request, baked):
    """The newest runtime on the AWS base image for x86_64, invoked by each trigger."""
    return baked(runtime=NEWEST, base_image="aws", architecture="x86_64", trigger=request.param)


def ruby_sources(project):
    """What RuboCop inspects and configures it, as {relative path: text}."""
    paths = [project / "Gemfile", project / "Rakefile", project / ".rubocop.yml"]
    paths += sorted(project.glob("lib/**/*.rb")) + sorted(project.glob("test/**/*.rb"))
    return {str(path.relative_to(project)): path.read_text() for path in paths}


def env_value(lines, name):
    """The value a Dockerfile ENV line (or its continuation) gives to a variable."""
    for line in lines:
        match = re.search(rf"\b{name}=(\S+)", line)
        if match:
            return match.group(1)
    return None


def bundler(project, script, env=None):
    """Run Ruby with Bundler's own library (a default gem, no `bundle` needed) on the project's Gemfile."""
    result = run(
        ["ruby", "-rbundler", "-rjson", "-e", script],
        project,
        env={"BUNDLE_GEMFILE": str(project / "Gemfile"), "BUNDLE_WITHOUT": "", **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Fast tier: the catalogue and the Dockerfile as text.


def test_every_ruby_runtime_uses_images_of_its_own_ruby_version():
    for rid in RUBY_RUNTIMES:
        entry = CATALOGUE[rid]
        version = entry["version"]
        assert rid == f"ruby{version}"
        assert entry["aws_base_image"] == f"public.ecr.aws/lambda/ruby:{version}"
        assert entry["build_image"] == f"public.ecr.aws/sam/build-ruby{version}"
        assert entry["custom_build_image"] == f"public.ecr.aws/docker/library/ruby:{version}"
        assert entry["custom_base_image"] == f"public.ecr.aws/docker/library/ruby:{version}-slim"


def test_dockerfile_installs_gems_from_gemfile_and_lockfile_before_copying_the_code(variant):
    answers, project = variant
    lines = Dockerfile.of(project).lines
    copy_gemfiles = lines.index("COPY Gemfile Gemfile.lock* ./")
    install = next(i for i, line in enumerate(lines) if "bundle install" in line)
    copy_code = next(i for i, line in enumerate(lines) if line.startswith("COPY lib/"))
    assert copy_gemfiles < install < copy_code
    # The AWS base image brings its own runtime interface client; the custom image gets the Gemfile's.
    without = "development:test" + (":runtime_interface_client" if answers["base_image"] == "aws" else "")
    assert env_value(lines, "BUNDLE_WITHOUT") == without


def test_final_stage_puts_gems_where_its_runtime_looks_for_them(variant):
    answers, project = variant
    entry = CATALOGUE[answers["runtime"]]
    lines = Dockerfile.of(project).lines
    final = Dockerfile.of(project).final_stage.lines
    base = entry["aws_base_image"] if answers["base_image"] == "aws" else entry["custom_base_image"]
    assert final[0] == f"FROM {base}"
    build_images = {stage.image for stage in Dockerfile.of(project).stages[:-1]}
    emulator = json.loads((project / "emulator.json").read_text())
    if answers["base_image"] == "aws":
        # arm64: the AWS base image of the same Ruby, on the build platform (see the test below).
        sam = f"{entry['build_image']}:latest-{answers['architecture']}"
        assert build_images == {entry["aws_base_image"] if answers["architecture"] == "arm64" else sam}
        # The Lambda Ruby runtime's GEM_PATH starts with /var/task/vendor/bundle/ruby/<version>.
        assert env_value(lines, "BUNDLE_PATH") == "/build/vendor/bundle"
        assert "COPY --from=dependencies /build/vendor/bundle ${LAMBDA_TASK_ROOT}/vendor/bundle" in final
        assert not any(line.startswith("ENTRYPOINT") for line in final)
    else:
        assert build_images == {entry["custom_build_image"]}
        assert not any("gem install" in line for line in lines), "the Gemfile pins the client; bundle installs it"
        assert "COPY --from=dependencies /usr/local/bundle /usr/local/bundle" in final
        entrypoint = json.loads(next(line for line in final if line.startswith("ENTRYPOINT ")).split(" ", 1)[1])
        assert f"exec {emulator['custom_image_command'][0]} " in entrypoint[2]
        assert emulator["custom_image_command"][0] == "/usr/local/bundle/bin/aws_lambda_ric"
    assert json.loads(final[-1].split(" ", 1)[1]) == [LANGUAGES["ruby"]["handler"]]
    assert emulator["custom_image_command"][-1] == LANGUAGES["ruby"]["handler"]


def image_env(stage):
    """The environment a stage's ENV instructions give its image (`docker run` starts with it)."""
    env = {}
    for arguments in stage.arguments("ENV"):
        env.update(dict(pair.split("=", 1) for pair in shlex.split(arguments)))
    return env


def run_entrypoint(project, tmp_path, command):
    """Start the custom image's ENTRYPOINT + `command` (what `docker run IMAGE COMMAND` and Lambda's
    ImageConfig.Command do) with the image's ENV, the runtime interface client replaced by a probe that
    prints the handler it was given: the aws_lambda_ric gem cannot be had here (no RubyGems server)."""
    final = Dockerfile.of(project).final_stage
    entrypoint = json.loads(final.arguments("ENTRYPOINT")[-1])
    client = json.loads((project / "emulator.json").read_text())["custom_image_command"][0]
    probe = tmp_path / "aws_lambda_ric"
    probe.write_text("#!/usr/bin/env ruby\nrequire 'json'\nputs JSON.generate(handler: ENV['_HANDLER'], argv: ARGV)\n")
    probe.chmod(0o755)
    argv = [part.replace(client, str(probe)) for part in entrypoint] + command
    result = subprocess.run(argv, env={"PATH": os.environ["PATH"], **image_env(final)}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("runtime", RUBY_RUNTIMES)
def test_custom_image_runs_the_handler_its_command_names(runtime, baked, tmp_path):
    """A CMD override (docker run IMAGE HANDLER, SAM's ImageConfig.Command) reaches the runtime interface
    client as _HANDLER, as the AWS base image's entrypoint does; the image's own CMD is the default."""
    require_tool("ruby")
    project = baked(runtime=runtime, base_image="custom", architecture="x86_64")
    handler = LANGUAGES["ruby"]["handler"]
    cmd = json.loads(Dockerfile.of(project).final_stage.arguments("CMD")[-1])
    assert run_entrypoint(project, tmp_path, cmd)["handler"] == handler
    other = "app.App::Handler.other"
    assert run_entrypoint(project, tmp_path, [other]) == {"handler": other, "argv": [other]}


def dependency_guard(project):
    """The gem stage's check for native code (arm64 images, whose gems are installed on the build machine's
    platform), as the shell command the build runs and the directory it checks."""
    stage = Dockerfile.of(project).stage("dependencies")
    guards = [command for command in stage.arguments("RUN") if "$TARGETARCH" in command]
    assert len(guards) == 1, "the gem stage checks its gems for native code once"
    directory = "/build/vendor/bundle" if "/build/vendor/bundle" in guards[0] else "/usr/local/bundle"
    return guards[0], directory


@pytest.mark.parametrize("variant", RUBY_VARIANTS, ids=variant_id)
def test_arm64_gems_install_on_the_build_platform_and_x86_64_gems_on_the_target(variant, baked):
    """arm64: the template's gems are pure Ruby, so the gem and code stages run on the build machine's
    platform (no emulation on an x86_64 host), on an image every platform has; x86_64 keeps the build
    image with compilers, on the target's platform."""
    project = baked(**variant)
    entry = CATALOGUE[variant["runtime"]]
    dockerfile = Dockerfile.of(project)
    stages = [dockerfile.stage("dependencies"), dockerfile.stage("code")]
    if variant["architecture"] == "arm64":
        multi_arch = entry["aws_base_image"] if variant["base_image"] == "aws" else entry["custom_build_image"]
        assert [(stage.platform, stage.image) for stage in stages] == [("$BUILDPLATFORM", multi_arch)] * 2
        assert "ARG TARGETARCH" in stages[0].lines and "ARG BUILDARCH" in stages[0].lines
        dependency_guard(project)
    else:
        assert [stage.platform for stage in stages] == [None, None]
        assert not [command for command in stages[0].arguments("RUN") if "$TARGETARCH" in command]
    # The gems the template itself installs into the image are pure Ruby: none outside a group (the runtime
    # interface client, pure Ruby, is in its own group, which only the custom image installs).
    gemfile = (project / "Gemfile").read_text()
    outside_groups = re.sub(r"^group .*?^end$", "", gemfile, flags=re.MULTILINE | re.DOTALL)
    assert not re.search(r"^\s*gem ", outside_groups, re.MULTILINE)


@pytest.mark.parametrize("base_image", ["aws", "custom"])
def test_arm64_gem_stage_refuses_native_code_built_for_another_platform(base_image, baked, tmp_path):
    """The guard, run as the build runs it (sh, Ruby): pure-Ruby gems pass; a gem with a shared object
    stops a cross-platform build with the file named; a same-platform build is never stopped."""
    require_tool("ruby")
    project = baked(runtime=NEWEST, base_image=base_image, architecture="arm64")
    guard, directory = dependency_guard(project)
    bundle = tmp_path / "bundle"
    pure = bundle / "ruby/3.4.0/gems/pure-1.0/lib/pure.rb"
    pure.parent.mkdir(parents=True)
    pure.write_text("module Pure; end\n")

    def check(target, build):
        env = {"PATH": os.environ["PATH"], "TARGETARCH": target, "BUILDARCH": build}
        return subprocess.run(
            ["sh", "-c", guard.replace(directory, str(bundle))], env=env, capture_output=True, text=True
        )

    assert check("arm64", "amd64").returncode == 0
    native = bundle / "ruby/3.4.0/extensions/x86_64-linux/3.4.0/native-1.0/native/native.so"
    native.parent.mkdir(parents=True)
    native.write_bytes(b"\x7fELF")
    refused = check("arm64", "amd64")
    assert refused.returncode != 0
    assert str(native) in refused.stderr and "built for amd64, not arm64" in refused.stderr
    assert check("arm64", "arm64").returncode == 0


# Slow tier: Debian's Ruby, Bundler's library, rake with minitest, RuboCop, the real RIE.


@pytest.mark.slow
def test_bundler_reads_the_gemfile_the_image_build_installs_without_dev_gems(variant):
    require_tool("ruby")
    answers, project = variant
    script = (
        "d = Bundler.definition; puts JSON.generate({ruby: d.ruby_version.versions, "
        "gems: d.requested_dependencies.map { |g| [g.name, g.groups.map(&:to_s)] }.to_h})"
    )
    everything = bundler(project, script)
    assert everything["ruby"] == [f"~> {CATALOGUE[answers['runtime']]['version']}.0"]
    assert {"minitest", "rake", "rubocop", "aws_lambda_ric"} <= set(everything["gems"])
    image_without = env_value(Dockerfile.of(project).lines, "BUNDLE_WITHOUT")
    in_image = bundler(project, script, env={"BUNDLE_WITHOUT": image_without})
    # Bundler leaves out a gem only when every group it is in is left out.
    assert in_image["gems"] == {
        name: groups for name, groups in everything["gems"].items() if set(groups) - set(image_without.split(":"))
    }
    assert ("aws_lambda_ric" in in_image["gems"]) == (answers["base_image"] == "custom")


@pytest.mark.slow
def test_generated_unit_tests_pass_with_rake_and_minitest(variant):
    require_tool("make")
    require_tool("rake")
    _, project = variant
    result = run(["make", "test"], project)
    assert result.returncode == 0
    runs = re.search(r"(\d+) runs, \d+ assertions, 0 failures, 0 errors, 0 skips", result.stdout)
    assert runs and int(runs.group(1)) >= event_count(project) + 4


def test_ruby_sources_depend_only_on_the_runtime_so_one_lint_per_runtime_covers_every_variant(variant, baked):
    answers, project = variant
    reference = baked(runtime=answers["runtime"], base_image="aws", architecture="x86_64")
    assert ruby_sources(project) == ruby_sources(reference)
    assert len(ruby_sources(project)) >= 5


@pytest.mark.slow
def test_generated_code_is_rubocop_clean(runtime_project):
    require_tool("make")
    require_tool("rubocop")
    project = runtime_project
    result = run(["make", "lint"], project)
    assert result.returncode == 0
    assert re.search(r"\b\d+ files inspected, no offenses detected", result.stdout)


@pytest.mark.slow
def test_each_trigger_passes_its_unit_tests_and_rubocop(trigger_project):
    require_tool("make")
    require_tool("rake")
    require_tool("rubocop")
    tests = run(["make", "test"], trigger_project)
    assert tests.returncode == 0
    runs = re.search(r"(\d+) runs, \d+ assertions, 0 failures, 0 errors, 0 skips", tests.stdout)
    assert runs and int(runs.group(1)) > event_count(trigger_project), "every sample event, and more"
    lint = run(["make", "lint"], trigger_project)
    assert lint.returncode == 0
    assert re.search(r"\b\d+ files inspected, no offenses detected", lint.stdout)


@pytest.mark.slow
def test_unit_tests_fail_when_an_expected_answer_differs(baked, tmp_path):
    require_tool("rake")
    http = baked(runtime=NEWEST, base_image="aws", architecture="x86_64", trigger="http")
    wrong = edited_copy(http, tmp_path / "wrong", "events/get-hello-name.expected.json", "Hello, Ada!", "Hello, Eve!")
    result = run(["make", "test"], wrong)
    assert result.returncode != 0
    assert "1 failures" in result.stdout and "test_answers_the_get_hello_name_event_as_expected" in result.stdout


@pytest.mark.slow
def test_unit_tests_fail_when_the_handler_answers_differently(ruby34, tmp_path):
    require_tool("rake")
    broken = edited_copy(ruby34, tmp_path / "broken", "lib/app/greeting.rb", '"Hello, #{name}!"', '"Goodbye, #{name}!"')
    result = run(["make", "test"], broken)
    assert result.returncode != 0
    assert "Goodbye, Ada!" in result.stdout


@pytest.mark.slow
def test_rubocop_reports_an_offense_added_to_the_code(ruby34, tmp_path):
    require_tool("rubocop")
    sloppy = edited_copy(
        ruby34, tmp_path / "sloppy", "lib/app.rb", "      started = ", "      unused = 1\n      started = "
    )
    result = run(["make", "lint"], sloppy)
    assert result.returncode != 0
    assert "Lint/UselessAssignment" in result.stdout


@pytest.mark.slow
def test_each_trigger_answers_every_event_under_the_native_emulator(trigger_project, native_emulator_test):
    require_tool("ruby")
    version = CATALOGUE[NEWEST]["version"]
    if not (_ruby_series() == version and usable("bundle") and _rubygems_reachable()):
        pytest.skip(NO_RIC_GEM.format(version=version))  # the one skip allowed in CI too: see the README
    deps = run(["make", "deps"], trigger_project)  # where gems can be had, a failure here is the project's own
    assert deps.returncode == 0
    result, passed, failed = native_emulator_test(trigger_project)
    assert result.returncode == 0
    assert (passed, failed) == (event_count(trigger_project), 0)


def test_the_log_check_passes_over_the_clients_error_report_but_not_a_plain_line(ruby34):
    """aws_lambda_ric reports an exception the handler lets escape itself (LambdaLogger.log_error: a text line,
    then the error through JSON.pretty_unparse), whatever the log format: the emulator test's log check, which
    native mode cannot run here, must pass over those lines and still catch a plain line the function prints."""
    require_tool("ruby")
    report = (
        "puts 'Error raised from handler method'; puts JSON.pretty_unparse("
        "{'errorMessage' => 'name must be a string', 'errorType' => 'Function<ArgumentError>',"
        " 'stackTrace' => ['/var/task/lib/app/greeting.rb:9:in greet']}); puts 'plain line'"
    )
    printed = run(["ruby", "-rjson", "-e", report], ruby34)
    assert printed.returncode == 0
    lines = printed.stdout.splitlines()
    assert len(lines) > 4, "the report spans several lines"
    harness = runpy.run_path(str(ruby34 / "scripts" / "emulator_test.py"), run_name="harness")
    assert harness["not_json_lines"](lines) == ["plain line"]


@pytest.mark.slow
def test_native_mode_on_another_ruby_says_which_ruby_it_needs(ruby34, rie_bin):
    require_tool("ruby")
    version = CATALOGUE["ruby3.4"]["version"]
    if _ruby_series() == version:
        pytest.skip(f"this machine's Ruby is {version}: native mode is tested by the test above")
    result = run(["make", "emulator-test"], ruby34, env={"EMULATOR_MODE": "native", "RIE_BIN": rie_bin})
    assert result.returncode == 2
    assert f"needs Ruby {version}.x" in result.stderr
    assert "Traceback" not in result.stderr


def _ruby_series():
    found = subprocess.run(["ruby", "-e", "print RUBY_VERSION[/\\A\\d+\\.\\d+/]"], capture_output=True, text=True)
    return found.stdout if found.returncode == 0 else None


def _rubygems_reachable():
    """Whether the RubyGems server Bundler would install aws_lambda_ric from answers here."""
    try:
        with urllib.request.urlopen("https://rubygems.org/api/v1/gems/aws_lambda_ric.json", timeout=10):
            return True
    except OSError:
        return False
