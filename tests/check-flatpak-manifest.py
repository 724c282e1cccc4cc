#!/usr/bin/python3
# Offline lint for the Flatpak manifest: the sandbox stays closed (no home or
# host files, no network), every download is pinned by a checksum or commit,
# and the app module builds this tree with meson. Prints TAP.
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# What the sandbox may have; files reach the app through the document portal.
ALLOWED_FINISH_ARGS = {
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
}

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
GIT_COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")
# home, host, host-os, host-etc, ~ and ~/..., each with an optional :ro/:rw/:create
FORBIDDEN_FS_RE = re.compile(r"^(home|host(-os|-etc)?|~)(/.*)?(:(ro|rw|create))?$")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, name, problems=()):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, name))
        for p in problems:
            print("#   " + p)
        if not ok:
            self.failed += 1

    def check(self, name, problems):
        problems = list(problems)
        self.result(not problems, name, problems)

    def skip(self, name, reason):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, reason))

    def bail(self, reason):
        print("Bail out! " + reason)
        sys.exit(1)

    def finish(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def walk_modules(modules, where="modules"):
    """Yield (path, module) for every module, nested ones included."""
    for i, module in enumerate(modules or []):
        path = "%s[%d]" % (where, i)
        if isinstance(module, str):
            # A module kept in its own file: its sources cannot be checked here.
            yield path, module
            continue
        if not isinstance(module, dict):
            yield path, module
            continue
        yield path, module
        yield from walk_modules(module.get("modules"), path + ".modules")


def check_finish_args(manifest):
    args = manifest.get("finish-args", [])
    if not isinstance(args, list):
        yield "finish-args is not a list"
        return
    for arg in args:
        if not isinstance(arg, str):
            yield "finish-args: %r is not a string" % (arg,)
            continue
        if arg.startswith("--filesystem="):
            value = arg[len("--filesystem="):]
            if FORBIDDEN_FS_RE.match(value):
                yield "finish-args: %s opens the user's home or the host to the sandbox" % arg
        if arg == "--share=network":
            yield "finish-args: --share=network gives the app network access"


def check_finish_args_allowed(manifest):
    args = manifest.get("finish-args", [])
    for arg in args if isinstance(args, list) else []:
        if arg not in ALLOWED_FINISH_ARGS:
            yield ("finish-args: %s is not in the reviewed allow-list %s; add it to "
                   "tests/check-flatpak-manifest.py only with a reason" %
                   (arg, ", ".join(sorted(ALLOWED_FINISH_ARGS))))


def check_sources(manifest):
    for path, module in walk_modules(manifest.get("modules")):
        if isinstance(module, str):
            yield "%s: module file %s is not checked; inline it" % (path, module)
            continue
        if not isinstance(module, dict):
            yield "%s: not a module object" % path
            continue
        name = module.get("name", "?")
        for j, src in enumerate(module.get("sources", [])):
            where = "%s (%s) sources[%d]" % (path, name, j)
            if isinstance(src, str):
                yield "%s: source file %s is not checked; inline it" % (where, src)
                continue
            kind = src.get("type")
            url = src.get("url")
            if url is not None and not url.startswith("https://"):
                yield "%s: url %s is not https" % (where, url)
            if kind in ("archive", "file"):
                if url is None and "path" in src:
                    continue  # a file from this tree: nothing is downloaded
                sha = src.get("sha256")
                if not isinstance(sha, str) or not SHA256_RE.match(sha):
                    yield "%s: %s source %s needs a sha256 of 64 lowercase hex digits" % (
                        where, kind, url)
            elif kind == "git":
                commit = src.get("commit")
                if not isinstance(commit, str) or not GIT_COMMIT_RE.match(commit):
                    yield "%s: git source %s must pin a 40-hex commit" % (where, url)
            elif kind in ("bzr", "svn"):
                if not src.get("revision"):
                    yield "%s: %s source %s must pin a revision" % (where, kind, url)
            elif kind in ("dir", "patch", "shell", "script", "inline", "extra-data"):
                if kind == "extra-data" and not SHA256_RE.match(str(src.get("sha256", ""))):
                    yield "%s: extra-data needs a sha256" % where
            else:
                yield "%s: unknown source type %r" % (where, kind)


# The libraries the app links that the GNOME runtime does not have, each
# built by a module of that name before the app's.
REQUIRED_LIBRARY_MODULES = ("openblas", "arpack-ng", "suitesparse", "gsl", "igraph")


def check_libraries(manifest, app_name):
    modules = [m for m in manifest.get("modules") or [] if isinstance(m, dict)]
    names = [m.get("name") for m in modules]
    app_at = names.index(app_name) if app_name in names else len(names)
    for lib in REQUIRED_LIBRARY_MODULES:
        if lib not in names:
            yield "no module %r: the app links it and the runtime does not have it" % lib
        elif names.index(lib) > app_at:
            yield "module %r comes after %r, which links it" % (lib, app_name)
    # One ARPACK, BLAS and LAPACK in the app: igraph's vendored copies would
    # be second ones beside the modules above.
    igraph = [m for m in modules if m.get("name") == "igraph"]
    opts = igraph[0].get("config-opts", []) if igraph else []
    for part, module in (("ARPACK", "arpack-ng"), ("BLAS", "openblas"), ("LAPACK", "openblas")):
        if module in names and "-DIGRAPH_USE_INTERNAL_%s=OFF" % part not in opts:
            yield ("module igraph: with module %r it must use that one "
                   "(-DIGRAPH_USE_INTERNAL_%s=OFF), not its vendored %s" % (module, part, part))


def check_app_module(manifest, manifest_dir, app_name):
    modules = manifest.get("modules") or []
    app = [m for m in modules if isinstance(m, dict) and m.get("name") == app_name]
    if len(app) != 1:
        yield "expected one top-level module named %r, found %d" % (app_name, len(app))
        return
    app = app[0]
    if modules[-1] is not app:
        yield "module %r must come last, after the libraries it links" % app_name
    if app.get("buildsystem") != "meson":
        yield "module %r: buildsystem is %r, expected 'meson'" % (app_name, app.get("buildsystem"))
    if app.get("builddir") is not True:
        yield "module %r: builddir must be true (meson builds out of tree)" % app_name
    if app.get("run-tests") is not True:
        yield "module %r: run-tests must be true" % app_name
    sources = app.get("sources") or []
    dirs = [s for s in sources if isinstance(s, dict) and s.get("type") == "dir"]
    if len(dirs) != 1:
        yield "module %r: expected one source of type dir" % app_name
        return
    root = os.path.normpath(os.path.join(manifest_dir, dirs[0].get("path", "")))
    meson_build = os.path.join(root, "meson.build")
    try:
        with open(meson_build, encoding="utf-8") as f:
            head = f.read(4096)
    except OSError as e:
        yield "module %r: dir source %s has no readable meson.build (%s)" % (
            app_name, root, e.strerror)
        return
    if not re.search(r"project\(\s*'%s'" % re.escape(app_name), head):
        yield "module %r: %s is not the %s project" % (app_name, meson_build, app_name)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--app-module", default="coordyn",
                        help="name of the module that builds this tree")
    parser.add_argument("--flatpak-builder", default=None,
                        help="flatpak-builder to use (default: look it up in PATH)")
    parser.add_argument("manifest")
    opts = parser.parse_args()

    tap = Tap()
    manifest_dir = os.path.dirname(os.path.abspath(opts.manifest))

    try:
        with open(opts.manifest, encoding="utf-8") as f:
            text = f.read()
        manifest = json.loads(text)
    except OSError as e:
        tap.result(False, "manifest is valid JSON", ["%s: %s" % (opts.manifest, e.strerror)])
        tap.bail("cannot read the manifest")
    except json.JSONDecodeError as e:
        tap.result(False, "manifest is valid JSON",
                   ["%s:%d:%d: %s" % (opts.manifest, e.lineno, e.colno, e.msg)])
        tap.bail("the manifest is not JSON")
    if not isinstance(manifest, dict):
        tap.result(False, "manifest is valid JSON", ["the top level is not an object"])
        tap.bail("the manifest is not a JSON object")
    tap.result(True, "manifest is valid JSON")

    problems = []
    app_id = manifest.get("id", manifest.get("app-id"))
    if app_id != opts.app_id:
        problems.append("id is %r, expected %r" % (app_id, opts.app_id))
    stem = os.path.basename(opts.manifest)
    for ext in (".json", ".yaml", ".yml"):
        if stem.endswith(ext):
            stem = stem[:-len(ext)]
    if stem != opts.app_id:
        problems.append("file name %s does not match the app id" % os.path.basename(opts.manifest))
    tap.check("app id is %s" % opts.app_id, problems)

    problems = []
    for key in ("runtime", "runtime-version", "sdk", "command"):
        if not isinstance(manifest.get(key), str) or not manifest.get(key):
            problems.append("%s is missing" % key)
    runtime, sdk = manifest.get("runtime", ""), manifest.get("sdk", "")
    if runtime.endswith(".Platform") and sdk != runtime[:-len(".Platform")] + ".Sdk":
        problems.append("sdk %s does not match runtime %s" % (sdk, runtime))
    tap.check("runtime, runtime-version, sdk and command are set", problems)

    tap.check("finish-args give no home/host filesystem and no network",
              check_finish_args(manifest))
    tap.check("finish-args stay within the reviewed allow-list",
              check_finish_args_allowed(manifest))
    tap.check("every download is pinned (sha256 for archives, commit for git)",
              check_sources(manifest))
    tap.check("module %s builds this tree with meson, out of tree, with tests" % opts.app_module,
              check_app_module(manifest, manifest_dir, opts.app_module))
    tap.check("the libraries it links are built first, with one ARPACK, BLAS and LAPACK",
              check_libraries(manifest, opts.app_module))

    name = "flatpak-builder --show-manifest accepts the manifest without warnings"
    builder = opts.flatpak_builder or shutil.which("flatpak-builder")
    if not builder:
        tap.skip(name, "flatpak-builder is not installed (Debian package flatpak-builder)")
    else:
        try:
            # flatpak-builder leaves a .flatpak-builder state directory in its
            # working directory: keep that out of the source and build trees.
            with tempfile.TemporaryDirectory(prefix="coordyn-flatpak-") as scratch:
                proc = subprocess.run(
                    [builder, "--show-manifest", os.path.abspath(opts.manifest)],
                    cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    universal_newlines=True, timeout=120)
            problems = []
            if proc.returncode != 0:
                problems.append("exit status %d" % proc.returncode)
            problems += ["stderr: " + line for line in proc.stderr.splitlines() if line.strip()]
            tap.check(name, problems)
        except (OSError, subprocess.TimeoutExpired) as e:
            tap.result(False, name, ["could not run %s: %s" % (builder, e)])

    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
