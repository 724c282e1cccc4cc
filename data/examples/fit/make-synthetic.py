#!/usr/bin/env python3
# Makes the synthetic observed series beside this script, so that anyone can
# check what docs/fitting.md says the fit recovers.  SYNTHETIC: the numbers are
# the model's own output for known parameter values plus seeded noise, not
# observations of any real event.
#
#   data/examples/fit/make-synthetic.py BUILD/src/cli/coordyn-cli
#
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, '..', 'yangtze-river-delta.json')
# The truth the fit should recover (the example model has 2.0 and 4.0).
TRUTH = {('pressure', 'crisis'): 1.6, ('resistance', 'fragmentation'): 4.6}
# Observed every 1.37 days, off the model's 0.1 grid, from the flood (t = 5)
# to day 60: the mean, two cities and one partnership's trust.
STEP = 1.37
COLUMNS = ['mean_coordination', 'x:suzhou', 'x:jiaxing', 'trust:suzhou|wuxi']
NOISE = 0.01
SEED = 20240515


def main():
    cli = sys.argv[1]
    with open(MODEL, encoding='utf-8') as f:
        model = json.load(f)
    for (group, key), value in TRUTH.items():
        model['parameters'][group][key] = value
    # dt 0.01 puts every k·1.37 on the run's own grid: exact model values.
    model['simulation']['dt'] = 0.01
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as tmp:
        json.dump(model, tmp)
    try:
        out = subprocess.run([cli, 'run', '--trust', tmp.name], check=True,
                             capture_output=True, text=True).stdout
    finally:
        os.unlink(tmp.name)
    rows = {round(float(r['t']), 2): r for r in csv.DictReader(io.StringIO(out))}
    rng = random.Random(SEED)
    lines = io.StringIO()
    w = csv.writer(lines, lineterminator='\n')
    w.writerow(['t'] + COLUMNS)
    k = 0
    while k * STEP <= 60 + 1e-9:
        t = round(k * STEP, 2)
        row = rows[t]
        cells = []
        for c in COLUMNS:
            # x:jiaxing was not reported before the flood: missing values.
            if c == 'x:jiaxing' and t < 5:
                cells.append('')
                continue
            v = float(row[c]) + rng.gauss(0.0, NOISE)
            cells.append('%.5f' % v)
        w.writerow(['%g' % t] + cells)
        k += 1
    with open(os.path.join(HERE, 'yangtze-synthetic-observed.csv'), 'w', encoding='utf-8') as f:
        f.write(lines.getvalue())


if __name__ == '__main__':
    main()
