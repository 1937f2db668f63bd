using System.Diagnostics;
using System.Globalization;
using HingeSharp.Distributed;
using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>docs/distributed.md's cost table: the gradient allreduce per step against the step itself, for the
/// tutorial's Method 1 (Sequential, 201 weights) and Method 2 (the FakeData MLP, 152,705 weights).</summary>
internal static class Cost
{
    internal static int Run(Communicator comm)
    {
        // Method 1: data-parallel Fit, timed whole; steps per epoch = ceil(ceil(500 / N) / 32).
        using (var scope = torch.NewDisposeScope())
        {
            var (x, y) = MakeCircles.Generate(500, noise: 0.1, randomState: 1).ToTensors(signedLabels: true);
            using var generator = new Generator(1);
            using var model = new Sequential(generator) { Communicator = comm };
            model.Add(new Dense(50, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
            model.Add(new Dense(1, activation: "tanh"));
            using var optimizer = new SGD(learningRate: 0.01, momentum: 0.9);
            model.Compile("hinge", optimizer, "accuracy");
            const int epochs = 40;
            comm.Barrier();
            var clock = Stopwatch.StartNew();
            model.Fit(x, y, epochs: epochs, batchSize: 32, verbose: 0);
            var steps = epochs * (int)Math.Ceiling(Math.Ceiling(500.0 / comm.Size) / 32);
            Report(comm, "Method 1 (Sequential, 201 weights)", clock.Elapsed.TotalSeconds / steps,
                Allreduce(comm, 201, 2000));
        }

        // Method 2: one single-process step of the MLP (forward, loss, backward, Adam) on a 64-sample batch.
        using (var scope = torch.NewDisposeScope())
        {
            var mlp = nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                nn.Linear(32, 1), nn.Tanh());
            var adam = optim.Adam(mlp.parameters(), 1e-4);
            var loss = nn.HingeEmbeddingLoss();
            var batch = torch.randn([64, 3, 28, 28]);
            var target = torch.ones([64, 1]);
            const int steps = 30;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++)
            {
                using var stepScope = torch.NewDisposeScope();
                adam.zero_grad();
                loss.forward(mlp.call(batch), target).backward();
                adam.step();
            }

            var weights = (int)mlp.parameters().Sum(p => p.numel());
            Report(comm, $"Method 2 (MLP, {weights:N0} weights)", clock.Elapsed.TotalSeconds / steps,
                Allreduce(comm, weights, 200));
        }

        return 0;
    }

    private static double Allreduce(Communicator comm, int count, int repeats)
    {
        var buffer = new float[count];
        comm.Allreduce(buffer, ReduceOperation.Sum);
        comm.Barrier();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            comm.Allreduce(buffer, ReduceOperation.Sum);
        }

        return clock.Elapsed.TotalSeconds / repeats;
    }

    private static void Report(Communicator comm, string what, double step, double allreduce)
    {
        if (comm.IsRoot)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"COST {what}: ranks {comm.Size}, step {step * 1e3:F3} ms, allreduce {allreduce * 1e6:F1} µs " +
                $"({100 * allreduce / step:F1} % of the step)"));
        }
    }
}
