""".NET projects, checked statically: this machine has no .NET SDK and no Amazon.Lambda NuGet packages.

Proven here for every .NET variant and every trigger: it bakes and lints (tests/test_bake.py); every .cs
file parses under tree-sitter's C# grammar; the .csproj and .sln files are well-formed and reference each
other; the function references the event package of its trigger, and every `using` is served by a referenced
package or project; the CMD handler names an assembly, class and method that exist with a signature Lambda
accepts, and the custom image's Main hands that very method to the runtime client with its types; the xUnit
tests run every sample event through that handler; the Dockerfile publishes the project that assembly comes
from; native emulator mode is wired to the entry point it publishes. Each check is also shown to catch a
broken project. Not proven here: that the packages restore, that the projects compile, that their xUnit tests
pass, that the image builds and that the function answers under the RIE. The slow tests at the end do that
where the SDK exists; elsewhere they skip with that reason, also under REQUIRE_TOOLCHAINS=1, because no
registry this project may use serves a .NET SDK or the Amazon.Lambda packages.
"""

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path, PureWindowsPath

import pytest

from helpers import (
    CATALOGUE,
    CONFIG,
    Dockerfile,
    bake,
    emulator_summary,
    event_count,
    recording_cli,
    require,
    require_tool,
    run,
    runtimes_of,
    usable,
)

# Every runtime, base image and architecture with the direct handler, whose code the break tests edit; and every
# other trigger on both base images (the trigger changes the code and its packages, not the architecture).
DIRECT_VARIANTS = [
    {"runtime": runtime, "base_image": base, "architecture": arch, "trigger": "direct"}
    for runtime in runtimes_of("dotnet")
    for base in ("aws", "custom")
    for arch in ("x86_64", "arm64")
]
TRIGGERS = CONFIG["trigger"]
TRIGGER_VARIANTS = [
    {"runtime": runtime, "base_image": base, "architecture": "x86_64", "trigger": trigger}
    for runtime in runtimes_of("dotnet")
    for base in ("aws", "custom")
    for trigger in TRIGGERS
    if trigger != "direct"
]
# The package of each trigger's event types (direct invocation takes plain JSON).
EVENT_PACKAGES = {
    "direct": None,
    "http": "Amazon.Lambda.APIGatewayEvents",
    "sqs": "Amazon.Lambda.SQSEvents",
    "s3": "Amazon.Lambda.S3Events",
    "schedule": "Amazon.Lambda.CloudWatchEvents",
}
HANDLER = re.compile(
    r"^(?P<assembly>[A-Za-z_][\w.]*)::(?P<type>[A-Za-z_][\w.]*)\.(?P<cls>[A-Za-z_]\w*)"
    r"::(?P<method>[A-Za-z_]\w*)$"
)
# `dotnet sln add` writes this type for a C# project, and this one for a solution folder.
CSHARP_PROJECT, SOLUTION_FOLDER = "{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}", "{2150E333-8FDC-42A3-9474-1A3956D46DE8}"
SLN_PROJECT = re.compile(r'^Project\("(\{[0-9A-F-]{36}\})"\) = "([^"]+)", "([^"]+)", "(\{[0-9A-F-]{36}\})"$')
# Namespaces the SDK brings without a package: the base class library.
BCL = ("System",)
# A package's namespaces, where they differ from its id.
PACKAGE_NAMESPACES = {"xunit": ("Xunit",), "Microsoft.NET.Test.Sdk": (), "xunit.runner.visualstudio": ()}
NO_DOTNET = (
    "no .NET SDK on this machine (and NuGet serves no Amazon.Lambda packages here): "
    "the .NET projects are proven statically only"
)


def project_name(slug):
    """The slug in PascalCase, as the template names the solution, assemblies and namespaces."""
    return slug.title().replace("-", "")


@pytest.fixture(
    scope="module", params=DIRECT_VARIANTS + TRIGGER_VARIANTS, ids=lambda answers: "-".join(answers.values())
)
def variant(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("dotnet"), **request.param)


@pytest.fixture(scope="module", params=DIRECT_VARIANTS, ids=lambda answers: "-".join(answers.values()))
def direct_variant(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("dotnet-direct"), **request.param)


@pytest.fixture
def broken(direct_variant, tmp_path):
    """A copy of a baked direct-trigger project that a test may break to show that a check catches it."""
    copy = tmp_path / direct_variant[1].name
    shutil.copytree(direct_variant[1], copy)
    return copy


# --- reading the generated project ---------------------------------------------------------------------


def csharp_parser():
    try:
        import tree_sitter
        import tree_sitter_c_sharp
    except ImportError:
        require(False, "tree-sitter and tree-sitter-c-sharp (PyPI) are not installed")
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c_sharp.language()))


def nodes(node):
    yield node
    for child in node.children:
        yield from nodes(child)


def text(node):
    return node.text.decode("utf-8")


def csharp_files(directory):
    return sorted(p for p in directory.rglob("*.cs") if not {"bin", "obj"} & set(p.parts))


def csproj_files(project):
    return sorted(p for p in project.rglob("*.csproj") if not {"bin", "obj"} & set(p.parts))


def msbuild_path(base, include):
    """An MSBuild path (backslashes, relative to the project file) on this machine."""
    return base / Path(*PureWindowsPath(include).parts)


def read_csproj(path):
    root = ET.parse(path).getroot()
    properties = {child.tag: (child.text or "").strip() for group in root.iter("PropertyGroup") for child in group}
    return {
        "root": root,
        "assembly": properties.get("AssemblyName") or path.stem,
        "namespace": properties.get("RootNamespace") or path.stem,
        "properties": properties,
        "packages": {ref.get("Include"): ref.get("Version") for ref in root.iter("PackageReference")},
        "projects": [msbuild_path(path.parent, ref.get("Include")).resolve() for ref in root.iter("ProjectReference")],
    }


def csproj_with_assembly(project, assembly):
    matches = [path for path in csproj_files(project) if read_csproj(path)["assembly"] == assembly]
    return matches[0] if len(matches) == 1 else None


def handler_of(project):
    cmds = [args for op, args in Dockerfile.of(project).instructions if op == "CMD"]
    return json.loads(cmds[-1])[0]


def handler_parts(project) -> re.Match[str]:
    """The CMD handler split into assembly, type, cls and method (handler_problems reports one that does not split)."""
    handler = handler_of(project)
    parts = HANDLER.match(handler)
    assert parts, f"{handler!r} is not in the form Assembly::Namespace.Class::Method"
    return parts


def make_dry_run(project, target):
    require_tool("make")
    result = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return [line.split() for line in result.stdout.splitlines()]


def option(words, *names):
    for index, word in enumerate(words[:-1]):
        if word in names:
            return words[index + 1]
    return None


# --- the checks: each returns the problems it finds, so that a test can also break a project ---------------


def csharp_syntax_problems(project):
    parser = csharp_parser()
    problems = []
    for path in csharp_files(project):
        tree = parser.parse(path.read_bytes())
        for node in nodes(tree.root_node):
            if node.type == "ERROR" or node.is_missing:
                problems.append(
                    f"{path.relative_to(project)}:{node.start_point[0] + 1}: "
                    f"{'missing ' + node.type if node.is_missing else 'cannot parse ' + text(node)[:40]!r}"
                )
    return problems


def project_file_problems(project, version):
    problems = []
    for path in csproj_files(project):
        name = path.relative_to(project)
        try:
            csproj = read_csproj(path)
        except ET.ParseError as error:
            problems.append(f"{name}: not well-formed XML: {error}")
            continue
        if csproj["root"].tag != "Project" or csproj["root"].get("Sdk") != "Microsoft.NET.Sdk":
            problems.append(f'{name}: the root is not <Project Sdk="Microsoft.NET.Sdk">')
        if csproj["properties"].get("TargetFramework") != f"net{version}.0":
            problems.append(f"{name}: TargetFramework is not net{version}.0")
        if csproj["properties"].get("Nullable") != "enable":
            problems.append(f"{name}: nullable reference types are not enabled")
        for package, package_version in csproj["packages"].items():
            if not package or not re.fullmatch(r"\d+\.\d+\.\d+", package_version or ""):
                problems.append(f"{name}: PackageReference {package!r} has no exact version ({package_version!r})")
        for reference in csproj["projects"]:
            if not reference.is_file():
                problems.append(f"{name}: ProjectReference {reference} does not exist")
        for item in csproj["root"].iter("None"):
            pattern = PureWindowsPath(item.get("Include"))
            if not list(msbuild_path(path.parent, pattern.parent).glob(pattern.name)):
                problems.append(f"{name}: {item.get('Include')} matches no file")
    return problems


def solution_problems(project):
    solutions = list(project.glob("*.sln"))
    if [s.name for s in solutions] != [f"{project_name(project.name)}.sln"]:
        return [f"expected one solution named after the project, found {[s.name for s in solutions]}"]
    lines = [line.strip() for line in solutions[0].read_text().splitlines()]
    problems = []
    if "Microsoft Visual Studio Solution File, Format Version 12.00" not in lines[:2]:
        problems.append("the solution header is missing")
    pairs = (("Project(", "EndProject"), ("Global", "EndGlobal"), ("GlobalSection(", "EndGlobalSection"))
    for opening, closing in pairs:
        opened = sum(line.startswith(opening) if opening.endswith("(") else line == opening for line in lines)
        if opened != sum(line == closing for line in lines) or not opened:
            problems.append(f"{opening} and {closing} do not pair up")
    matches = [SLN_PROJECT.match(line) for line in lines if line.startswith("Project(")]
    entries = [entry for entry in matches if entry]
    if len(entries) != len(matches):
        return problems + ["a Project line does not parse"]
    guids = [entry[4] for entry in entries]
    if len(set(guids)) != len(guids):
        problems.append("two solution entries share a GUID")
    folders = {entry[4] for entry in entries if entry[1] == SOLUTION_FOLDER}
    projects = {entry[4]: entry for entry in entries if entry[1] == CSHARP_PROJECT}
    if len(folders) + len(projects) != len(entries):
        problems.append("a solution entry is neither a C# project nor a solution folder")
    listed = {msbuild_path(project, entry[3]).resolve() for entry in projects.values()}
    for entry in projects.values():
        if msbuild_path(project, entry[3]).stem != entry[2]:
            problems.append(f"solution entry {entry[2]} points at {entry[3]}")
    on_disk = {path.resolve() for path in csproj_files(project)}
    if listed != on_disk:
        problems.append(f"the solution lists {sorted(map(str, listed))}, the disk has {sorted(map(str, on_disk))}")
    configurations = [line.split(" = ")[0] for line in section(lines, "SolutionConfigurationPlatforms")]
    mapped = {line.split(" = ")[0] for line in section(lines, "ProjectConfigurationPlatforms")}
    wanted = {
        f"{guid}.{config}.{kind}" for guid in projects for config in configurations for kind in ("ActiveCfg", "Build.0")
    }
    if not configurations or mapped != wanted:
        problems.append(f"project configurations do not match the solution's: {sorted(mapped ^ wanted)}")
    for line in section(lines, "NestedProjects"):
        child, parent = line.split(" = ")
        if child not in projects or parent not in folders:
            problems.append(f"NestedProjects maps {child} into {parent}, which are not a project and a folder")
    return problems


def section(lines, name):
    start = next((i for i, line in enumerate(lines) if line.startswith(f"GlobalSection({name})")), None)
    if start is None:
        return []
    end = lines.index("EndGlobalSection", start)
    return lines[start + 1 : end]


def declared_types(path, parser):
    """{full type name: class node} of one C# file, with file-scoped and block namespaces."""
    tree = parser.parse(path.read_bytes())
    found = {}

    def visit(node, namespace):
        for child in node.named_children:
            if child.type == "file_scoped_namespace_declaration":
                namespace = text(child.child_by_field_name("name"))
            elif child.type == "namespace_declaration":
                inner = text(child.child_by_field_name("name"))
                visit(child.child_by_field_name("body"), f"{namespace}.{inner}" if namespace else inner)
            elif child.type in ("class_declaration", "record_declaration", "struct_declaration"):
                name = text(child.child_by_field_name("name"))
                found[f"{namespace}.{name}" if namespace else name] = child

    visit(tree.root_node, "")
    return found, tree.root_node


def modifiers(node):
    return {text(child) for child in node.named_children if child.type == "modifier"}


def members(class_node, kind):
    body = class_node.child_by_field_name("body")
    return [child for child in (body.named_children if body else []) if child.type == kind]


def handler_problems(project):
    """The CMD handler against the code: what Amazon.Lambda.RuntimeSupport's loader requires of it."""
    handler = handler_of(project)
    problems = []
    if json.loads((project / "lambda.json").read_text())["handler"] != handler:
        problems.append("lambda.json names another handler than the Dockerfile's CMD")
    parts = HANDLER.match(handler)
    if not parts:
        return problems + [f"{handler!r} is not in the form Assembly::Namespace.Class::Method"]
    csproj = csproj_with_assembly(project, parts["assembly"])
    if not csproj:
        return problems + [f"no project builds the assembly {parts['assembly']}"]
    parser = csharp_parser()
    types, roots = {}, []
    for path in csharp_files(csproj.parent):
        found, root = declared_types(path, parser)
        types.update(found)
        roots.append(root)
    cls = types.get(f"{parts['type']}.{parts['cls']}")
    if cls is None or cls.type != "class_declaration":
        return problems + [f"no class {parts['type']}.{parts['cls']} in {csproj.parent.relative_to(project)}"]
    if "public" not in modifiers(cls) or {"abstract", "static"} & modifiers(cls):
        problems.append("the handler's class must be public, and neither abstract nor static")
    constructors = members(cls, "constructor_declaration")
    if constructors and not any(
        "public" in modifiers(c) and not c.child_by_field_name("parameters").named_children for c in constructors
    ):
        problems.append("the handler's class has no public parameterless constructor for the runtime to call")
    methods = [m for m in members(cls, "method_declaration") if text(m.child_by_field_name("name")) == parts["method"]]
    if len(methods) != 1:
        return problems + [f"{parts['cls']} has {len(methods)} methods named {parts['method']} (the runtime needs one)"]
    method = methods[0]
    parameters = [p for p in method.child_by_field_name("parameters").named_children if p.type == "parameter"]
    returns = text(method.child_by_field_name("returns"))
    if "public" not in modifiers(method):
        problems.append("the handler method is not public")
    if method.child_by_field_name("type_parameters"):
        problems.append("the handler method is generic")
    if "async" in modifiers(method) and returns == "void":
        problems.append("the handler method is async void")
    context_type = text(parameters[1].child_by_field_name("type")) if len(parameters) == 2 else "ILambdaContext"
    if len(parameters) > 2 or context_type != "ILambdaContext":
        problems.append("the handler takes more than (input, ILambdaContext)")
    types_used = [text(p.child_by_field_name("type")) for p in parameters[:1]] + [returns]
    serializer = any(
        text(node).replace(" ", "").startswith(("[assembly:LambdaSerializer", "[LambdaSerializer"))
        for root in roots
        for node in nodes(root)
        if node.type in ("global_attribute", "attribute_list")
    )
    if any(t not in ("Stream", "void", "Task") for t in types_used) and not serializer:
        problems.append("the handler takes or returns a non-Stream type but no LambdaSerializer is declared")
    return problems


def publish_problems(project, base_image):
    """The Dockerfile's restore, publish and copy steps against the handler's project."""
    instructions = Dockerfile.of(project).instructions
    assembly = handler_parts(project)["assembly"]
    csproj = csproj_with_assembly(project, assembly)
    expected = csproj.relative_to(project).as_posix() if csproj else None
    runs = " ".join(args for op, args in instructions if op == "RUN")
    restore, publish = (re.search(rf"dotnet {verb} (\S+)", runs) for verb in ("restore", "publish"))
    problems = []
    if not (restore and publish) or {restore[1], publish[1]} != {expected}:
        problems.append(f"restore and publish do not both name {expected}, the project of assembly {assembly}")
    copied_first = [args.split()[0] for op, args in instructions if op == "COPY"][0]
    if copied_first != expected:
        problems.append(f"the first COPY ({copied_first}) is not the project file restored alone")
    if not (
        {"linux-x64", "linux-arm64"} <= set(re.findall(r"linux-\w+", runs))
        and runs.count("--runtime") == 2
        and "--no-restore" in runs
    ):
        problems.append("restore and publish do not share a linux-x64/linux-arm64 runtime identifier")
    if not any(op == "FROM" and "--platform=$BUILDPLATFORM" in args for op, args in instructions):
        problems.append("the SDK stage does not run on the build platform (cross-publish)")
    output = re.search(r"dotnet publish .*?--output (\S+)", runs)
    copies = [args.split() for op, args in instructions if op == "COPY" and args.startswith("--from=")]
    task_root = "${LAMBDA_TASK_ROOT}/" if base_image == "aws" else "/var/task/"
    if not output or [words[1:] for words in copies] != [[output[1], task_root]]:
        problems.append(f"the final stage does not copy the publish output ({output and output[1]}) to {task_root}")
    if not {"**/bin", "**/obj"} <= set((project / ".dockerignore").read_text().split()):
        problems.append("the build context keeps each project's bin/ and obj/ (a host restore would win)")
    entrypoints = [json.loads(args) for op, args in instructions if op == "ENTRYPOINT"]
    if base_image == "custom":
        if entrypoints != [["dotnet", f"/var/task/{assembly}.dll"]]:
            problems.append(f"ENTRYPOINT does not run /var/task/{assembly}.dll")
        if csproj and read_csproj(csproj)["properties"].get("OutputType") != "Exe":
            problems.append("the custom image runs the assembly, but it is not an executable (OutputType Exe)")
    elif entrypoints:
        problems.append("the AWS base image's entrypoint is overridden")
    # The AWS base image's bootstrap refuses a task root without <assembly>.runtimeconfig.json (exit 106).
    elif csproj and read_csproj(csproj)["properties"].get("GenerateRuntimeConfigurationFiles") != "true":
        problems.append("the class library publishes no runtimeconfig.json, which the AWS bootstrap needs")
    return problems


def using_problems(project):
    """Every `using` names the base class library, a referenced package or a referenced project."""
    parser = csharp_parser()
    problems = []
    for path in csproj_files(project):
        available, seen, queue = set(BCL), set(), [path.resolve()]
        while queue:  # packages and namespaces flow through ProjectReference
            current = queue.pop()
            if current in seen or not current.is_file():
                continue
            seen.add(current)
            csproj = read_csproj(current)
            available.add(csproj["namespace"])
            for package in csproj["packages"]:
                available.update(PACKAGE_NAMESPACES.get(package, (package,)))
            queue.extend(csproj["projects"])
        for source in csharp_files(path.parent):
            for node in nodes(parser.parse(source.read_bytes()).root_node):
                if node.type == "using_directive":
                    name = text(node).removeprefix("using").strip(" ;")
                    if not any(name == ns or name.startswith(ns + ".") for ns in available):
                        problems.append(f"{source.relative_to(project)}: nothing referenced provides {name}")
    return problems


def native_mode_problems(project, base_image):
    """`make native-build` publishes the very program emulator.json runs, with the handler where it belongs."""
    emulator = json.loads((project / "emulator.json").read_text())
    publishes = [words for words in make_dry_run(project, "native-build") if words[:2] == ["dotnet", "publish"]]
    if len(publishes) != 1:
        return ["native-build does not run exactly one dotnet publish"]
    published, output = project / publishes[0][2], option(publishes[0], "--output", "-o")
    problems = []
    if not published.is_file():
        return [f"native-build publishes {publishes[0][2]}, which does not exist"]
    program = read_csproj(published)
    if program["properties"].get("OutputType") != "Exe":
        problems.append(f"{publishes[0][2]} is not an executable")
    dll = f"{{root}}/{output}/{program['assembly']}.dll"
    handler = handler_parts(project)
    function = csproj_with_assembly(project, handler["assembly"])
    if emulator.get("native_env", {}).get("LAMBDA_TASK_ROOT") != f"{{root}}/{output}":
        problems.append("LAMBDA_TASK_ROOT is not the native publish directory")
    if base_image == "aws":
        # A host that loads the handler string, as the AWS base image's runtime does.
        if emulator["native_command"] != ["dotnet", dll, "{handler}"]:
            problems.append(f"native_command does not run {dll} with the handler")
        if "Amazon.Lambda.RuntimeSupport" not in program["packages"] or function.resolve() not in program["projects"]:
            problems.append("the native host does not reference Amazon.Lambda.RuntimeSupport and the function")
        sources = " ".join(p.read_text() for p in csharp_files(published.parent))
        if "new RuntimeSupportInitializer(handler)" not in sources or "args[0]" not in sources:
            problems.append("the native host does not pass its handler argument to RuntimeSupportInitializer")
    else:
        # The function's own Main, which the custom image's ENTRYPOINT runs too.
        if published.resolve() != function.resolve():
            problems.append("native mode does not publish the function project")
        if emulator["native_command"] != ["dotnet", dll]:
            problems.append(f"native_command does not run {dll}")
        if emulator["custom_image_command"] != ["dotnet", f"/var/task/{program['assembly']}.dll"]:
            problems.append("custom_image_command does not run the image's assembly")
    return problems


def handler_types(project):
    """(input type, return type) of the handler method the CMD names, as the code spells them."""
    parts = handler_parts(project)
    parser = csharp_parser()
    types = {}
    for path in csharp_files(csproj_with_assembly(project, parts["assembly"]).parent):
        types.update(declared_types(path, parser)[0])
    (method,) = [
        m
        for m in members(types[f"{parts['type']}.{parts['cls']}"], "method_declaration")
        if text(m.child_by_field_name("name")) == parts["method"]
    ]
    parameters = [p for p in method.child_by_field_name("parameters").named_children if p.type == "parameter"]
    return text(parameters[0].child_by_field_name("type")), text(method.child_by_field_name("returns"))


def bootstrap_main_problems(project):
    """The custom image's Main hands the handler, with its own types, to Amazon.Lambda.RuntimeSupport's bootstrap."""
    handler = handler_parts(project)
    csproj = csproj_with_assembly(project, handler["assembly"])
    parser = csharp_parser()
    mains = [
        m
        for path in csharp_files(csproj.parent)
        for cls in declared_types(path, parser)[0].values()
        for m in members(cls, "method_declaration")
        if text(m.child_by_field_name("name")) == "Main"
    ]
    if len(mains) != 1 or "static" not in modifiers(mains[0]):
        return [f"expected one static Main, found {len(mains)}"]
    body = re.sub(r"\s+", "", text(mains[0].child_by_field_name("body")))
    input_type, output_type = handler_types(project)
    call = f"LambdaBootstrapBuilder.Create<{input_type},{output_type}>(function.{handler['method']},"
    if call not in body or not body.endswith(".Build().RunAsync();}"):
        return [f"Main does not start LambdaBootstrapBuilder with {handler['method']} as <{input_type}, {output_type}>"]
    return []


def callee(node):
    """How a call names what it calls: `Assert.ThrowsAny`, `Handle`, `new Function().FunctionHandler`."""
    if node.type == "member_access_expression":
        name = node.child_by_field_name("name")
        if name.type == "generic_name":
            name = name.named_children[0]
        return f"{callee(node.child_by_field_name('expression'))}.{text(name)}"
    if node.type == "object_creation_expression":
        return f"new {text(node.child_by_field_name('type'))}()"
    return text(node)


def calls(node):
    """(callee, argument nodes) of every call under `node`, outermost first."""
    found = []
    for call in (n for n in nodes(node) if n.type == "invocation_expression"):
        arguments = call.child_by_field_name("arguments")
        found.append(
            (callee(call.child_by_field_name("function")), [a.named_children[-1] for a in arguments.named_children])
        )
    return found


def identifiers(node):
    return {text(n) for n in nodes(node) if n.type == "identifier"}


def literal(node):
    """The value of a plain string literal node, else None."""
    return text(node)[1:-1] if node.type == "string_literal" else None


def attribute_names(method):
    return [
        text(a.child_by_field_name("name"))
        for lst in method.named_children
        if lst.type == "attribute_list"
        for a in lst.named_children
    ]


def xunit_methods(path, parser):
    """{name: method node} of every xUnit [Fact] or [Theory] method of one C# file."""
    return {
        text(method.child_by_field_name("name")): method
        for cls in declared_types(path, parser)[0].values()
        for method in members(cls, "method_declaration")
        if {"Fact", "Theory"} & set(attribute_names(method))
    }


def sample_event_test_problems(project):
    """The xUnit tests compare every sample event's answer with its expected one, through the very handler,
    read from the C# syntax trees: which methods are tests, what they call and with what."""
    tests = next(project.glob("test/*.Tests"))
    parser = csharp_parser()
    problems = []
    methods = {
        f"{name}.{text(m.child_by_field_name('name'))}": m
        for path in csharp_files(tests)
        for name, cls in declared_types(path, parser)[0].items()
        for m in members(cls, "method_declaration")
    }
    for path in csharp_files(tests):
        for name, method in xunit_methods(path, parser).items():
            if not [c for c, _ in calls(method.child_by_field_name("body") or method) if c.startswith("Assert.")]:
                problems.append(f"the test {name} asserts nothing")
    # The base class every trigger's sample event tests derive from holds the one theory.
    bases = [
        cls
        for path in csharp_files(tests)
        for name, cls in declared_types(path, parser)[0].items()
        if name.endswith(".SampleEventTests") and "abstract" in modifiers(cls)
    ]
    theories = [m for cls in bases for m in members(cls, "method_declaration") if "Theory" in attribute_names(m)]
    # The theory's cases: a static method listing events/*.json, leaving out the .expected.json answers.
    sources = [
        (c, args)
        for m in theories
        for lst in m.named_children
        if lst.type == "attribute_list"
        for c, args in calls(lst)
    ]
    listed = [text(args[0]) for c, args in sources if c == "nameof" and args]
    names = [m for full, m in methods.items() if any(full.endswith(f".{item}") for item in listed)]
    if len(theories) != 1 or len(names) != 1 or "static" not in modifiers(names[0]):
        return problems + [f"expected one [Theory] over one static method's names, found {len(theories)}, {len(names)}"]
    theory, lister = theories[0], names[0]
    if not any(c == "Directory.GetFiles" and any(literal(a) == "*.json" for a in args) for c, args in calls(lister)):
        problems.append("the theory's cases are not every events/*.json")
    kept = [n.child_by_field_name("condition") for n in nodes(lister) if n.type == "if_statement"]
    if not any(
        cond.type == "prefix_unary_expression"
        and text(cond).startswith("!")
        and any(c.endswith(".EndsWith") and literal(args[0]) == ".expected.json" for c, args in calls(cond))
        for cond in kept
    ):
        problems.append("the theory's cases include the .expected.json answers")
    # The theory: an event's answer, serialised, compared with its .expected.json, or its error's message.
    body = theory.child_by_field_name("body")
    declared = {text(d.named_children[0]): d for d in nodes(body) if d.type == "variable_declarator"}
    expected = declared.get("expected")
    if expected is None or not any(
        n.type == "interpolated_string_expression" and text(n).endswith('.expected.json"') for n in nodes(expected)
    ):
        problems.append("the theory does not read the event's .expected.json as `expected`")
    handled = [args for c, args in calls(body) if c == "Handle"]
    if not handled or any([text(a) for a in args] != ["input", "context"] for args in handled):
        problems.append("the theory does not call Handle(input, context)")
    if not any(
        c == "Assert.True"
        and calls(args[0])[:1]
        and calls(args[0])[0][0] == "JsonNode.DeepEquals"
        and [identifiers(a) & {"expected", "actual"} for a in calls(args[0])[0][1]] == [{"expected"}, {"actual"}]
        for c, args in calls(body)
    ):
        problems.append("the theory does not assert that the answer deep-equals the expected one")
    if not any(c == "Assert.ThrowsAny" and any(cc == "Handle" for cc, _ in calls(args[0])) for c, args in calls(body)):
        problems.append("the theory does not expect the handler to throw for an expected error")
    # The cases reach the handler: the one concrete subclass's Handle calls the function's handler method with
    # its own arguments, in order.
    handler = handler_parts(project)
    input_type, output_type = handler_types(project)
    base = f":SampleEventTests<{input_type},{output_type}>"
    derived = [
        cls
        for path in csharp_files(tests)
        for cls in declared_types(path, parser)[0].values()
        if base in (re.sub(r"\s+", "", text(child)) for child in cls.named_children if child.type == "base_list")
        and "abstract" not in modifiers(cls)
    ]
    if len(derived) != 1:
        return problems + [
            f"expected one test class deriving SampleEventTests<{input_type}, {output_type}>, found {len(derived)}"
        ]
    overrides = [
        m for m in members(derived[0], "method_declaration") if text(m.child_by_field_name("name")) == "Handle"
    ]
    parameters = [
        text(p.child_by_field_name("name"))
        for m in overrides
        for p in m.child_by_field_name("parameters").named_children
    ]
    outermost = calls(overrides[0])[:1] if len(overrides) == 1 and "override" in modifiers(overrides[0]) else []
    if (
        not outermost
        or outermost[0][0] != f"new Function().{handler['method']}"
        or [text(a) for a in outermost[0][1]] != parameters
    ):
        problems.append(f"the sample event tests do not call Function.{handler['method']}")
    return problems


# --- tests ----------------------------------------------------------------------------------------------


def test_every_cs_file_parses_without_errors_under_the_csharp_grammar(variant):
    answers, project = variant
    expected = {
        "src/HelloLambda/Function.cs",
        "src/HelloLambda/Greeting.cs",
        "src/HelloLambda/JsonLog.cs",
        "test/HelloLambda.Tests/SampleEvents.cs",
        "test/HelloLambda.Tests/GreetingTest.cs",
        "test/HelloLambda.Tests/FunctionTest.cs",
    }
    expected |= {"src/HelloLambda/HttpRequest.cs"} if answers["trigger"] == "http" else set()
    expected |= {"tools/LambdaHost/Program.cs"} if answers["base_image"] == "aws" else set()
    assert {path.relative_to(project).as_posix() for path in csharp_files(project)} == expected
    assert csharp_syntax_problems(project) == []


def test_the_function_references_the_event_types_of_its_trigger(variant):
    answers, project = variant
    function = read_csproj(next(project.glob("src/*/*.csproj")))
    event_packages = {package for package in function["packages"] if package.endswith("Events")}
    expected = EVENT_PACKAGES[answers["trigger"]]
    assert event_packages == ({expected} if expected else set())


def test_project_files_are_well_formed_and_reference_existing_projects_and_events(variant):
    answers, project = variant
    assert project_file_problems(project, CATALOGUE[answers["runtime"]]["version"]) == []


def test_solution_lists_exactly_the_projects_with_matching_configurations(variant):
    _, project = variant
    assert solution_problems(project) == []


def test_every_using_is_served_by_a_referenced_package_or_project(variant):
    _, project = variant
    assert using_problems(project) == []


def test_cmd_handler_names_an_assembly_class_and_method_lambda_accepts(variant):
    _, project = variant
    assert handler_of(project) == "HelloLambda::HelloLambda.Function::FunctionHandler"
    assert handler_problems(project) == []


def test_dockerfile_publishes_the_project_the_handler_assembly_comes_from(variant):
    answers, project = variant
    assert publish_problems(project, answers["base_image"]) == []


def published_rid(project, tmp_path):
    """The RID the image build publishes for: scripts/build-image.sh's --platform (the script runs with a
    stand-in `docker` on PATH that records its arguments) gives BuildKit's TARGETARCH, which the Dockerfile's
    own shell maps to a RID."""
    path, calls = recording_cli(tmp_path / "bin")
    built = run(["scripts/build-image.sh", "fn:1"], project, env={"CONTAINER_CLI": "docker", "PATH": path})
    assert built.returncode == 0, built.stderr
    platform = re.search(r" --platform linux/(\w+) ", calls.read_text())
    mapping = re.search(
        r'case "\$TARGETARCH" in .*? esac', " ".join(args for op, args in Dockerfile.of(project).instructions)
    )
    assert platform and mapping
    result = subprocess.run(
        ["sh", "-c", f'{mapping[0]}; echo "$rid"'],
        env={"TARGETARCH": platform[1]},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


RID = {"x86_64": "linux-x64", "arm64": "linux-arm64"}
PLATFORM_OF = {"x86_64": "linux/amd64", "arm64": "linux/arm64"}


def test_image_build_publishes_for_the_functions_architecture(variant, tmp_path):
    answers, project = variant
    assert published_rid(project, tmp_path) == RID[answers["architecture"]]


def test_native_emulator_mode_runs_what_native_build_publishes(variant):
    answers, project = variant
    assert native_mode_problems(project, answers["base_image"]) == []


def test_only_the_custom_image_carries_runtime_support_and_a_main(variant):
    answers, project = variant
    function = read_csproj(next(project.glob("src/*/*.csproj")))
    if answers["base_image"] == "custom":
        assert not (project / "tools").exists()
        assert "Amazon.Lambda.RuntimeSupport" in function["packages"]
        assert bootstrap_main_problems(project) == []
    else:  # the AWS base image brings its own runtime interface client; the project stays a class library
        assert "Amazon.Lambda.RuntimeSupport" not in function["packages"]
        assert "OutputType" not in function["properties"]
        assert bootstrap_main_problems(project) == ["expected one static Main, found 0"]


def test_unit_tests_see_every_sample_event_the_emulator_test_sends(variant):
    _, project = variant
    tests = read_csproj(next(project.glob("test/*.Tests/*.Tests.csproj")))
    runner = {"Amazon.Lambda.TestUtilities", "xunit", "xunit.runner.visualstudio", "Microsoft.NET.Test.Sdk"}
    assert runner <= set(tests["packages"])
    events = [item.get("Include") for item in tests["root"].iter("None")]
    assert events == ["..\\..\\events\\*.json"]
    assert sample_event_test_problems(project) == []
    assert event_count(project) >= 1


def test_names_follow_the_slug_everywhere(tmp_path):
    project = bake(tmp_path, project_name="Orders API", runtime=runtimes_of("dotnet")[0], base_image="custom")
    assert project.name == "orders-api"
    handler = "OrdersApi::OrdersApi.Function::FunctionHandler"
    assert handler_of(project) == handler == json.loads((project / "lambda.json").read_text())["handler"]
    assert (project / "OrdersApi.sln").is_file() and (project / "test/OrdersApi.Tests/OrdersApi.Tests.csproj").is_file()
    assert handler_problems(project) == [] and solution_problems(project) == [] and using_problems(project) == []
    assert publish_problems(project, "custom") == [] and native_mode_problems(project, "custom") == []


# --- the checks catch what they are meant to catch ----------------------------------------------------------


def function_source(project):
    return next(project.glob("src/*/Function.cs"))


def edit(path, old, new):
    content = path.read_text()
    assert old in content, f"{old!r} not in {path}"
    path.write_text(content.replace(old, new, 1))


def test_a_syntax_error_is_caught(broken):
    edit(function_source(broken), "return greeting;", "return greeting")
    assert any("Function.cs" in problem for problem in csharp_syntax_problems(broken))


def test_a_renamed_or_overloaded_handler_method_is_caught(broken):
    source = function_source(broken)
    edit(
        source,
        "public Greeting FunctionHandler(JsonElement input, ILambdaContext context)",
        "public Greeting FunctionHandler(JsonElement input, ILambdaContext context) => Handle(input, context);\n"
        "    public Greeting FunctionHandler(string input) => Greet(input);\n"
        "    public Greeting Handle(JsonElement input, ILambdaContext context)",
    )
    assert handler_problems(broken) == ["Function has 2 methods named FunctionHandler (the runtime needs one)"]
    edit(source, "public Greeting FunctionHandler(string input) => Greet(input);", "")
    edit(source, "public Greeting FunctionHandler(JsonElement", "public Greeting Run(JsonElement")
    assert handler_problems(broken) == ["Function has 0 methods named FunctionHandler (the runtime needs one)"]


def test_a_handler_signature_lambda_refuses_is_caught(broken):
    source = function_source(broken)
    edit(
        source,
        "public Greeting FunctionHandler(JsonElement input, ILambdaContext context)",
        "public Greeting FunctionHandler(JsonElement input, string context)",
    )
    edit(source, "[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]", "")
    assert handler_problems(broken) == [
        "the handler takes more than (input, ILambdaContext)",
        "the handler takes or returns a non-Stream type but no LambdaSerializer is declared",
    ]


def test_a_broken_project_reference_or_solution_entry_is_caught(direct_variant, broken):
    tests = next(broken.glob("test/*.Tests/*.Tests.csproj"))
    edit(tests, "..\\..\\src\\", "..\\src\\")
    version = CATALOGUE[direct_variant[0]["runtime"]]["version"]
    assert any("ProjectReference" in problem for problem in project_file_problems(broken, version))
    solution = next(broken.glob("*.sln"))
    edit(solution, ".Tests.csproj", ".Test.csproj")
    assert any("points at" in problem for problem in solution_problems(broken))


def test_a_dockerfile_publishing_another_path_is_caught(direct_variant, broken):
    edit(broken / "Dockerfile", "--output /publish", "--output /out")
    assert publish_problems(broken, direct_variant[0]["base_image"]) == [
        f"the final stage does not copy the publish output (/out) to "
        f"{'${LAMBDA_TASK_ROOT}/' if direct_variant[0]['base_image'] == 'aws' else '/var/task/'}"
    ]


def test_a_class_library_without_a_runtimeconfig_is_caught(direct_variant, broken):
    edit(next(broken.glob("src/*/*.csproj")), "RuntimeConfigurationFiles>true<", "RuntimeConfigurationFiles>false<")
    expected = (
        []
        if direct_variant[0]["base_image"] == "custom"
        else ["the class library publishes no runtimeconfig.json, which the AWS bootstrap needs"]
    )
    assert publish_problems(broken, direct_variant[0]["base_image"]) == expected


def test_a_package_missing_for_a_using_is_caught(direct_variant, broken):
    function = next(broken.glob("src/*/*.csproj"))
    edit(function, 'Include="Amazon.Lambda.Serialization.SystemTextJson"', 'Include="Other"')
    assert any("Amazon.Lambda.Serialization.SystemTextJson" in p for p in using_problems(broken))


def test_types_other_than_the_handlers_in_main_or_the_sample_event_tests_are_caught(tmp_path):
    project = bake(tmp_path, runtime=runtimes_of("dotnet")[0], base_image="custom", trigger="sqs")
    assert bootstrap_main_problems(project) == [] and sample_event_test_problems(project) == []
    edit(function_source(project), "Create<SQSEvent, SQSBatchResponse>", "Create<JsonElement, SQSBatchResponse>")
    assert bootstrap_main_problems(project) == [
        "Main does not start LambdaBootstrapBuilder with FunctionHandler as <SQSEvent, SQSBatchResponse>"
    ]
    edit(
        next(project.glob("test/*.Tests/FunctionTest.cs")),
        "SampleEventTests<SQSEvent, SQSBatchResponse>",
        "SampleEventTests<JsonElement, SQSBatchResponse>",
    )
    assert sample_event_test_problems(project) == [
        "expected one test class deriving SampleEventTests<SQSEvent, SQSBatchResponse>, found 0"
    ]
    edit(next(project.glob("src/*/*.csproj")), 'Include="Amazon.Lambda.SQSEvents"', 'Include="Other"')
    assert any("Amazon.Lambda.SQSEvents" in problem for problem in using_problems(project))


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("SampleEvents.cs", '"*.json"', '"*.txt"', "the theory's cases are not every events/*.json"),
        (
            "SampleEvents.cs",
            "if (!path.EndsWith(",
            "if (path.EndsWith(",
            "the theory's cases include the .expected.json answers",
        ),
        (
            "SampleEvents.cs",
            '$"{name}.expected.json"',
            '$"{name}.json"',
            "the theory does not read the event's .expected.json as `expected`",
        ),
        (
            "SampleEvents.cs",
            "Handle(input, context), answerStream",
            "Handle(input, null!), answerStream",
            "the theory does not call Handle(input, context)",
        ),
        (
            "SampleEvents.cs",
            "AsHttpAnswer(actual)",
            "AsHttpAnswer(expected)",
            "the theory does not assert that the answer deep-equals the expected one",
        ),
        (
            "SampleEvents.cs",
            "() => Handle(input, context)",
            "() => throw new Exception()",
            "the theory does not expect the handler to throw for an expected error",
        ),
        (
            "FunctionTest.cs",
            "(input, context);\n}",
            "(input, new TestLambdaContext());\n}",
            "the sample event tests do not call Function.FunctionHandler",
        ),
        ("FunctionTest.cs", "Assert.", "Console.", "the test LogsOneJsonLinePerRequest asserts nothing"),
    ],
    ids=[
        "other-files",
        "answers-as-cases",
        "no-expected",
        "other-context",
        "self-comparison",
        "no-throw",
        "other-call",
        "no-assert",
    ],
)
def test_sample_event_tests_that_check_less_are_caught(file, old, new, problem, broken):
    assert sample_event_test_problems(broken) == []
    path = next(broken.glob(f"test/*.Tests/{file}"))
    content = path.read_text()
    assert old in content, f"{old!r} not in {path}"
    path.write_text(content.replace(old, new))
    assert problem in sample_event_test_problems(broken)


def test_an_image_build_for_another_platform_is_caught(direct_variant, broken, tmp_path):
    other = {"x86_64": "arm64", "arm64": "x86_64"}[direct_variant[0]["architecture"]]
    edit(broken / "scripts/build-image.sh", PLATFORM_OF[direct_variant[0]["architecture"]], PLATFORM_OF[other])
    assert published_rid(broken, tmp_path) == RID[other]


def test_native_mode_running_another_program_is_caught(direct_variant, broken):
    emulator = json.loads((broken / "emulator.json").read_text())
    emulator["native_command"][1] = emulator["native_command"][1].replace(".dll", "2.dll")
    (broken / "emulator.json").write_text(json.dumps(emulator))
    assert native_mode_problems(broken, direct_variant[0]["base_image"]) != []


# --- without the .NET SDK: a clear message, from make and from the emulator harness ------------------------

MISSING_SDK = {"DOTNET": "/nonexistent/dotnet"}


def test_make_test_without_the_dotnet_sdk_says_how_to_get_it(variant):
    _, project = variant
    result = run(["make", "test"], project, env=MISSING_SDK)
    assert result.returncode != 0
    assert "dotnet10 needs .NET SDK 10 or newer, found none (/nonexistent/dotnet is not installed)" in result.stderr
    assert "container mode" in result.stderr


@pytest.mark.slow
def test_native_emulator_test_without_the_dotnet_sdk_stops_before_invoking(tmp_path, rie_bin):
    project = bake(tmp_path, runtime=runtimes_of("dotnet")[0])
    result = run(["make", "emulator-test"], project, env={**MISSING_SDK, "EMULATOR_MODE": "native", "RIE_BIN": rie_bin})
    assert result.returncode != 0
    assert "dotnet10 needs .NET SDK 10 or newer, found none (/nonexistent/dotnet is not installed)" in result.stderr
    # The check runs before the harness: nothing was built, started or invoked.
    assert "native-build" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert [line for line in result.stdout.splitlines() if not line.startswith("make[")] == []  # make's own lines aside


# --- with the .NET SDK (not on this machine): the build, the xUnit tests and the RIE -----------------------
# One test per kind of proof, each going through every trigger, so that a machine without the SDK skips three.


@pytest.mark.slow
def test_generated_project_passes_its_xunit_tests_with_the_dotnet_sdk(tmp_path):
    if not usable("dotnet"):
        pytest.skip(NO_DOTNET)
    for trigger in TRIGGERS:
        project = bake(tmp_path / trigger, runtime=runtimes_of("dotnet")[0], trigger=trigger)
        result = run(["make", "test"], project)
        assert result.returncode == 0, f"{trigger}: make test failed"
        passed = re.search(r"Failed:\s+0, Passed:\s+(\d+)", result.stdout)
        # Every sample event, plus the greeting's and the trigger's own tests.
        assert passed and int(passed[1]) > event_count(project), f"{trigger}: {passed and passed[0]}"


@pytest.mark.slow
@pytest.mark.parametrize("base_image", ["aws", "custom"])
def test_generated_project_answers_every_event_under_the_rie_in_native_mode(base_image, tmp_path, rie_bin):
    if not usable("dotnet"):
        pytest.skip(NO_DOTNET)
    for trigger in TRIGGERS:
        project = bake(tmp_path / trigger, runtime=runtimes_of("dotnet")[0], base_image=base_image, trigger=trigger)
        result = run(["make", "emulator-test"], project, env={"EMULATOR_MODE": "native", "RIE_BIN": rie_bin})
        assert result.returncode == 0, f"{trigger}: make emulator-test failed"
        assert emulator_summary(result) == (event_count(project), 0), trigger
