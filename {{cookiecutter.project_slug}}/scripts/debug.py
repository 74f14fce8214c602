#!/usr/bin/env python3
"""Run the function in native emulator mode with its language's debugger listening on 127.0.0.1.

The RIE answers invokes on http://127.0.0.1:PORT (default 9000) and starts the function at the first invoke,
under the debugger emulator.json's `debug` field names (scripts/emulator_test.py's NativeEmulator builds
and wraps it): the debugger listens on 127.0.0.1:DEBUG_PORT (default: the language's usual port) from then
on. DEBUG_WAIT=1 holds the function, so the first invoke, until a debugger attaches; breakpoints set then
are hit by that invoke. .vscode/launch.json attaches to the default port. The function keeps running until
Ctrl-C, which stops every process started here.

Usage: scripts/debug.py [--port 9000]   (environment: DEBUG_PORT, DEBUG_WAIT=1)
"""

import argparse
import os
import subprocess
import sys

import emulator_test as harness  # this file's own directory is on sys.path when it runs


def port_number(text, name):
    if not (text.isdigit() and 0 < int(text) < 65536):
        raise harness.SetupError(f"{name}={text!r}: a port is a number from 1 to 65535")
    return int(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", default="9000", help="the port the RIE answers invokes on (default 9000)")
    options = parser.parse_args()
    harness.unwind_on_ctrl_c_and_termination()  # the finally below stops what was started
    spec = harness.RUNTIME["debug"]
    emulator = None
    try:
        if sys.platform != "linux":
            raise harness.SetupError("make debug runs in native mode, which needs Linux (the RIE is a Linux binary)")
        port = port_number(options.port, "PORT")
        wait = os.environ.get("DEBUG_WAIT", "") not in ("", "0", "no", "false")
        if "port" in spec:
            debug_port = port_number(os.environ.get("DEBUG_PORT") or str(spec["port"]), "DEBUG_PORT")
            listening = f"{spec['tool']} listens on 127.0.0.1:{debug_port}"
        elif wait or os.environ.get("DEBUG_PORT"):
            raise harness.SetupError(
                f"{spec['tool']} attaches to a process, without a port or a wait: {spec['attach']}"
            )
        else:
            debug_port, listening = None, spec["attach"]
        harness.find_rie()  # fail before building anything
        emulator = harness.NativeEmulator(debug={"port": debug_port, "wait": wait})
        emulator.start(port)
        events = [event.relative_to(harness.ROOT) for event, _ in harness.events()]
        example = f"-d @{events[0]} " if events else "-d '{}' "
        print(
            f"debug: native mode, {harness.SETTINGS['runtime']}: the function starts at the first invoke, and "
            f"{listening}{' (the first invoke waits for a debugger to attach)' if wait else ''}\n"
            f"debug: invoke it: curl {example}http://127.0.0.1:{port}{harness.INVOKE_PATH}\n"
            f"debug: ready (Ctrl-C stops)",
            flush=True,
        )
        emulator.process.wait()
        print("debug: the emulator exited; see its output above", file=sys.stderr)
        return 1
    except harness.SetupError as error:
        print(f"debug: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f"debug: '{' '.join(map(str, error.cmd))}' failed with exit code {error.returncode}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if emulator:
            emulator.stop()


if __name__ == "__main__":
    sys.exit(main())
