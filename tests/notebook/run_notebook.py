"""run_notebook.py - run a notebook's code cells headless, without Jupyter.

    python3 tests/notebook/run_notebook.py NOTEBOOK.ipynb [--figures DIR]

The code cells run in order in one namespace with the notebook's folder as the
working directory (as Jupyter does, so `sys.path.insert(0, os.path.abspath(""))`
finds the notebook's modules). Set MPLBACKEND=Agg. With --figures every figure
still open at the end is saved as DIR/<notebook stem>_<n>.png. Prints
"cells ok" when every cell ran; an exception in a cell names the cell and exits 1.
"""
import argparse
import json
import os
import sys
import traceback


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook")
    ap.add_argument("--figures", help="folder for the figures left open at the end (PNG)")
    a = ap.parse_args()
    nb_path = os.path.abspath(a.notebook)
    figures = os.path.abspath(a.figures) if a.figures else None
    with open(nb_path) as fh:
        nb = json.load(fh)
    os.chdir(os.path.dirname(nb_path))
    namespace = {"__name__": "__main__"}
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(cells):
        if cell.get("outputs") or cell.get("execution_count") is not None:
            sys.exit(f"{nb_path}: code cell {i} has stored outputs; notebooks are committed without outputs")
        try:
            exec(compile("".join(cell["source"]), f"<{os.path.basename(nb_path)} cell {i}>", "exec"), namespace)
        except Exception:
            traceback.print_exc()
            sys.exit(f"{nb_path}: code cell {i} failed")
    if figures:
        import matplotlib.pyplot as plt
        os.makedirs(figures, exist_ok=True)
        stem = os.path.splitext(os.path.basename(nb_path))[0]
        for n in plt.get_fignums():
            out = os.path.join(figures, f"{stem}_{n}.png")
            plt.figure(n).savefig(out, dpi=80)
            print("figure:", out)
    print("cells ok")


if __name__ == "__main__":
    main()
