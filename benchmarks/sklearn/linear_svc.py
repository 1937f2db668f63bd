#!/usr/bin/env python3
"""Same-run benchmark: scikit-learn's LinearSVC against HingeSharp's LinearSvc (`hinge svm fit`).

For each data set (dense synthetic data, make_classification with 40,000 rows x 100 features, and scikit-learn's bundled
breast_cancer, digits and wine, standardised on the training split) and each loss, both fit the same float64 arrays
with the same C, tol and max_iter. Reported per fit: seconds (best of --repeat; scikit-learn's `fit` call, HingeSharp's
`seconds`, which times `LinearSvc.Fit` on the loaded arrays), the primal objective (LIBLINEAR's, summed over the
one-vs-rest problems, intercept regularised as an extra feature; scikit-learn's is evaluated from its coef_ and
intercept_ by the same formula), and test accuracy. The parity rule: objective <= scikit-learn's x 1.001 and test
accuracy within one point; the speed rule (dense data): time ratio <= 0.5.

    /usr/bin/python3 benchmarks/sklearn/linear_svc.py --hinge src/HingeSharp.Cli/bin/Release/net10.0/hinge [--rows 40000]
"""
import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.datasets import load_breast_cancer, load_digits, load_wine, make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC


def primal_objective(coef, intercept, classes, x, y, c, loss, scaling=1.0):
    """LIBLINEAR's primal objective, summed over the one-vs-rest problems (fixture svm_sklearn.json's definition)."""
    coef = np.atleast_2d(coef)
    total = 0.0
    for k in range(coef.shape[0]):
        positive = classes[1] if coef.shape[0] == 1 else classes[k]
        s = np.where(y == positive, 1.0, -1.0)
        margin = s * (x @ coef[k] + intercept[k])
        h = np.maximum(0.0, 1.0 - margin)
        total += 0.5 * (coef[k] @ coef[k] + (intercept[k] / scaling) ** 2) + c * np.sum(h if loss == "hinge" else h * h)
    return float(total)


def datasets(rows):
    x, y = make_classification(n_samples=rows, n_features=100, n_informative=20, n_redundant=0, n_classes=2,
                               flip_y=0.0, class_sep=1.5, random_state=0)
    yield "dense", x, y
    for name, loader in (("breast_cancer", load_breast_cancer), ("digits", load_digits), ("wine", load_wine)):
        data = loader()
        yield name, data.data, data.target


def split_scaled(x, y):
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, random_state=0, stratify=y)
    scaler = StandardScaler().fit(xtr)
    return scaler.transform(xtr), scaler.transform(xte), ytr.astype(np.int64), yte.astype(np.int64)


def run_hinge(hinge, folder, c, loss, tol, max_iter):
    command = shlex.split(hinge) + [
        "svm", "fit", "--x", f"{folder}/xtr.npy", "--y", f"{folder}/ytr.npy", "--test-x", f"{folder}/xte.npy",
        "--test-y", f"{folder}/yte.npy", "--c", repr(c), "--loss", loss.replace("_", "-"), "--tol", repr(tol),
        "--max-iter", str(max_iter), "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"hinge failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hinge", required=True, help="command that runs the hinge tool")
    parser.add_argument("--rows", type=int, default=40000, help="rows of the dense data set (3/4 train)")
    parser.add_argument("--repeat", type=int, default=3, help="fits per side on the small sets; the best time counts")
    parser.add_argument("--dense-repeat", type=int, default=1, help="fits per side on the dense set")
    parser.add_argument("--c", type=float, default=0.1)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--max-iter", type=int, default=10000)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    results = []
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; scikit-learn "
          f"{sklearn_version}, numpy {np.__version__}; C={args.c}, tol={args.tol}, max_iter={args.max_iter}")
    header = (f"{'data':<14}{'shape':>12} {'loss':<14}{'sk s':>9}{'hs s':>9}{'ratio':>7}{'sk obj':>14}"
              f"{'obj ratio':>11}{'sk acc':>8}{'hs acc':>8}{'sk it':>7}{'hs it':>7}  ok")
    print(header)
    all_ok = True
    with tempfile.TemporaryDirectory() as folder:
        for name, x, y in datasets(args.rows):
            xtr, xte, ytr, yte = split_scaled(x, y)
            for arr, file in ((xtr, "xtr"), (xte, "xte"), (ytr, "ytr"), (yte, "yte")):
                np.save(f"{folder}/{file}.npy", np.ascontiguousarray(arr))
            repeat = args.dense_repeat if name == "dense" else args.repeat
            for loss in ("squared_hinge", "hinge"):
                sk_best = float("inf")
                for _ in range(repeat):
                    model = LinearSVC(C=args.c, loss=loss, tol=args.tol, max_iter=args.max_iter, random_state=0)
                    start = time.perf_counter()
                    model.fit(xtr, ytr)
                    sk_best = min(sk_best, time.perf_counter() - start)
                sk_obj = primal_objective(model.coef_, model.intercept_, model.classes_, xtr, ytr, args.c, loss)
                sk_acc = float(model.score(xte, yte))
                sk_iter = int(np.max(model.n_iter_))
                ours = [run_hinge(args.hinge, folder, args.c, loss, args.tol, args.max_iter) for _ in range(repeat)]
                hs_best = min(o["seconds"] for o in ours)
                hs = ours[0]
                ratio = hs_best / sk_best
                obj_ratio = hs["objective"] / sk_obj
                ok = obj_ratio <= 1.001 and hs["testAccuracy"] >= sk_acc - 0.01 and (name != "dense" or ratio <= 0.5)
                all_ok &= ok
                print(f"{name:<14}{str(xtr.shape):>12} {loss:<14}{sk_best:9.4f}{hs_best:9.4f}{ratio:7.3f}"
                      f"{sk_obj:14.6g}{obj_ratio:11.6f}{sk_acc:8.4f}{hs['testAccuracy']:8.4f}{sk_iter:7d}"
                      f"{hs['iterations']:7d}  {'yes' if ok else 'NO'}")
                results.append({"data": name, "shape": list(xtr.shape), "loss": loss,
                                "sklearn": {"seconds": sk_best, "objective": sk_obj, "testAccuracy": sk_acc,
                                            "iterations": sk_iter},
                                "hingesharp": {"seconds": hs_best, "objective": hs["objective"],
                                               "testAccuracy": hs["testAccuracy"], "iterations": hs["iterations"],
                                               "converged": hs.get("converged")},
                                "timeRatio": ratio, "objectiveRatio": obj_ratio, "ok": ok})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"sklearn": sklearn_version, "results": results}, f, indent=2)
    print("all parity/speed rules hold" if all_ok else "SOME RULES FAIL")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
