#!/usr/bin/env python3
# The build outputs that the tests of a suite selection need, for ninja:
# the sanitizer builds compile only what the tests they run use (no render
# library in TSan, which runs no render test, no test program of a suite
# it leaves out), not the whole project.  Selection as meson test takes it:
#
#   test-targets.py BUILD_DIR [--suite S]... [--no-suite S]...
#
# prints one ninja target a line: each selected test's program, when the
# build makes it, and every target the test depends on (coordyn-cli, the
# compiled GSettings schemas, the catalogs...).  Fails, naming the
# selection, when it selects no test, so that a renamed suite cannot make
# CI build and run nothing.
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import subprocess
import sys


def introspect(build, what):
    out = subprocess.run(['meson', 'introspect', '--' + what, build],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('build')
    parser.add_argument('--suite', action='append', default=[])
    parser.add_argument('--no-suite', action='append', default=[])
    args = parser.parse_args()
    build = os.path.abspath(args.build)

    outputs = {}
    for target in introspect(build, 'targets'):
        outputs[target['id']] = target['filename']

    wanted = set()
    selected = 0
    for test in introspect(build, 'tests'):
        # 'coordyn:engine' -> 'engine'
        suites = {s.split(':', 1)[-1] for s in test['suite']}
        if args.suite and not suites & set(args.suite):
            continue
        if suites & set(args.no_suite):
            continue
        selected += 1
        program = os.path.abspath(test['cmd'][0])
        if program.startswith(build + os.sep):
            wanted.add(program)
        for dep in test['depends']:
            wanted.update(outputs.get(dep, []))
    if selected == 0:
        sys.exit('test-targets.py: no test in %s is in --suite %s without --no-suite %s'
                 % (build, args.suite, args.no_suite))
    for path in sorted(wanted):
        print(os.path.relpath(path, build))


if __name__ == '__main__':
    main()
