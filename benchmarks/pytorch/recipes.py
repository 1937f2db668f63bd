"""The tutorial's two training recipes in PyTorch eager: the anchor HingeSharp's recipe benchmarks are compared with.

    OPENBLAS_NUM_THREADS=1 python3 recipes.py --threads 1 --repeat 3 --format json

Needs torch and scikit-learn (Debian: apt-get install python3-torch python3-sklearn). Times only the training
loops, after the data exist, as HingeSharp's `hinge bench --recipes` does:

- method1: make_circles(1000, noise=0.1, random_state=1), labels 0 -> -1, 500/500 split; Dense(50, relu,
  he_uniform) -> Dense(1, tanh) (glorot_uniform, zero biases, as Keras initialises them); Keras' hinge loss
  mean(max(0, 1 - y*yhat)); SGD(lr=0.01, momentum=0.9); 200 epochs of shuffled batches of 32; after every epoch the
  validation loss and sign accuracy on the test half (what Keras' fit(validation_data=...) reports).
- method2: 15000 random 3x28x28 images with values k/255 and labels {0, 1} -> {-1, 1} (the tutorial's FakeData);
  Flatten -> Linear(2352, 64) -> ReLU -> Linear(64, 32) -> ReLU -> Linear(32, 1) -> Tanh; HingeEmbeddingLoss();
  Adam(lr=1e-4); DataLoader(batch_size=64, shuffle=True); 5 epochs; the running loss read every 10 batches, as the
  tutorial prints it.

--format json prints {"torch": version, "threads": n, "blas": [paths], "method1": {"seconds", "testAccuracy"},
"method2": {"seconds", "finalLoss"}}, seconds the best of --repeat runs; "blas" lists the BLAS libraries this
process has mapped (Linux): Debian's python3-torch multiplies matrices through libblas.so.3, which is the slow
reference BLAS (.../blas/libblas.so.3) unless OpenBLAS is installed (apt-get install libopenblas0-pthread).
"""
import argparse
import json
import time

import torch
from torch import nn
from sklearn.datasets import make_circles


def method1():
    x, y = make_circles(n_samples=1000, noise=0.1, random_state=1)
    y[y == 0] = -1
    x = torch.tensor(x, dtype=torch.float32)
    y = torch.tensor(y, dtype=torch.float32).unsqueeze(1)
    train_x, test_x, train_y, test_y = x[:500], x[500:], y[:500], y[500:]
    torch.manual_seed(1)
    hidden, out = nn.Linear(2, 50), nn.Linear(50, 1)
    nn.init.kaiming_uniform_(hidden.weight, nonlinearity="relu")
    nn.init.zeros_(hidden.bias)
    nn.init.xavier_uniform_(out.weight)
    nn.init.zeros_(out.bias)
    model = nn.Sequential(hidden, nn.ReLU(), out, nn.Tanh())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    start = time.perf_counter()
    for _ in range(200):
        order = torch.randperm(500)
        for i in range(0, 500, 32):
            batch = order[i:i + 32]
            optimizer.zero_grad()
            loss = (1 - train_y[batch] * model(train_x[batch])).clamp_min(0).mean()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            pred = model(test_x)
            (1 - test_y * pred).clamp_min(0).mean().item()
            ((pred > 0) == (test_y > 0)).float().mean().item()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = ((model(test_x) > 0) == (test_y > 0)).float().mean().item()
    return {"seconds": seconds, "testAccuracy": accuracy}


def method2(epochs=5):
    generator = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (15000, 3, 28, 28), generator=generator, dtype=torch.uint8).float() / 255
    labels = torch.randint(0, 2, (15000,), generator=generator)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images, labels), batch_size=64, shuffle=True)
    torch.manual_seed(42)
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28 * 3, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                        nn.Linear(32, 1), nn.Tanh())
    loss_function = nn.HingeEmbeddingLoss()
    optimizer = torch.optim.Adam(mlp.parameters(), lr=1e-4)
    start = time.perf_counter()
    last = None
    for _ in range(epochs):
        current_loss = 0.0
        for i, (inputs, targets) in enumerate(loader, 0):
            targets = targets.clone()
            targets[targets == 0] = -1
            targets = targets.type(torch.FloatTensor).reshape((targets.shape[0], 1))
            optimizer.zero_grad()
            loss = loss_function(mlp(inputs), targets)
            loss.backward()
            optimizer.step()
            current_loss += loss.item()
            if i % 10 == 0:
                last = current_loss / 500
                current_loss = 0.0
    return {"seconds": time.perf_counter() - start, "finalLoss": last}


def blas_libraries():
    """The BLAS libraries mapped into this process (from /proc/self/maps; empty where there is none)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line and "blas" in line.rsplit("/", 1)[-1].lower()}
    except OSError:
        return []
    return sorted(paths)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--only", choices=["method1", "method2"])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    result = {"torch": torch.__version__, "threads": args.threads, "blas": blas_libraries()}
    for name, run in (("method1", method1), ("method2", method2)):
        if args.only in (None, name):
            result[name] = min((run() for _ in range(max(1, args.repeat))), key=lambda r: r["seconds"])
    if args.format == "json":
        print(json.dumps(result))
    else:
        for name in ("method1", "method2"):
            if name in result:
                print(f"{name}: {result[name]['seconds']:.3f} s")


if __name__ == "__main__":
    main()
