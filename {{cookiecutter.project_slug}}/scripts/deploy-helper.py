#!/usr/bin/env python3
"""JSON chores for scripts/deploy.sh, kept out of bash so no value is ever parsed by the shell.

settings FILE KEY...        print each KEY of the JSON object in FILE, one per line (KEY=DEFAULT: DEFAULT if absent)
image-info                  stdin: `CLI image inspect` output; print "ARCHITECTURE CONFIG_DIGEST"
config-digest               stdin: an image manifest; print its config digest
environment KEY=VALUE...    print Lambda's Environment JSON for these variables
same-environment FILE K=V...  exit 0 when FILE (Lambda's Environment.Variables JSON) holds exactly K=V...
fetch-manifest URL OUT      GET a registry manifest, save it to OUT, print "DIGEST MEDIA_TYPE"
statements                  stdin: a Lambda resource-based policy; print "SID public" (principal "*") or
                            "SID other" for each statement
"""

import hashlib
import json
import sys
import urllib.request
from pathlib import Path

MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"


def settings(path, *keys):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for key in keys:
        key, has_default, default = key.partition("=")
        value = data.get(key, default if has_default else None)
        if value is None or "\n" in str(value):
            sys.exit(f"{path}: {key} is missing or spans several lines")
        print(value)


def image_info():
    image = json.load(sys.stdin)
    image = image[0] if isinstance(image, list) else image
    # docker and finch give Id as "sha256:HEX", podman as bare HEX: print one form.
    config = image.get("Id", "")
    print(image.get("Architecture", "unknown"), config if config.startswith("sha256:") else f"sha256:{config}")


def config_digest():
    print(json.load(sys.stdin)["config"]["digest"])


def canonical(variables):
    return json.dumps(variables or {}, sort_keys=True)


def environment(*pairs):
    variables = dict(pair.split("=", 1) for pair in pairs)
    print(json.dumps({"Variables": variables}))


def same_environment(path, *pairs):
    current = json.loads(Path(path).read_text(encoding="utf-8")) or {}
    sys.exit(0 if canonical(current) == canonical(dict(pair.split("=", 1) for pair in pairs)) else 1)


def fetch_manifest(url, out):
    request = urllib.request.Request(url, headers={"Accept": MANIFEST_TYPES})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    media_type = json.loads(body).get("mediaType") or response.headers.get_content_type()
    Path(out).write_bytes(body)
    print(f"sha256:{hashlib.sha256(body).hexdigest()} {media_type}")


def statements():
    for statement in json.load(sys.stdin).get("Statement", []):
        principal = statement.get("Principal")
        public = principal == "*" or (isinstance(principal, dict) and principal.get("AWS") == "*")
        print(statement.get("Sid", "-"), "public" if public else "other")


COMMANDS = {
    "settings": settings,
    "image-info": image_info,
    "config-digest": config_digest,
    "environment": environment,
    "same-environment": same_environment,
    "fetch-manifest": fetch_manifest,
    "statements": statements,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]](*sys.argv[2:])
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        sys.exit(f"deploy-helper {sys.argv[1]}: {error}")
