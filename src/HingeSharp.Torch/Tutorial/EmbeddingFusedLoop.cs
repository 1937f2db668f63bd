using System.Diagnostics;
using System.Globalization;
using HingeSharp.Kernels;
using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras.Fused;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tutorial;

/// <summary>
/// Method 2's training loop on the fused dense path: the MLP's initial weights copied into a
/// <see cref="DenseStack"/>, the FakeData items generated once (before the clock starts, as the PyTorch
/// script builds its tensors before timing), each epoch's batches gathered in the order the loader would visit
/// them, <c>HingeEmbeddingLoss</c> and PyTorch's Adam (<c>w ← w − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)</c>,
/// β = (0.9, 0.999), ε = 1e-8) computed without autograd.
/// </summary>
internal static class EmbeddingFusedLoop
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    internal static EmbeddingDemoResult Run(EmbeddingDemoOptions options, FakeData dataset,
        nn.Module<Tensor, Tensor> mlp, Action<string>? log)
    {
        int features = options.Channels * options.Height * options.Width;
        int size = options.Size;
        var images = new float[(long)size * features];
        var labels = new int[size];
        dataset.FillAll(images, labels);
        var targets = new float[size];
        for (int i = 0; i < size; i++)
        {
            targets[i] = labels[i] == 0 ? -1f : labels[i];
        }

        using var stack = new DenseStack(
        [
            new DenseSpec(features, 64, true, DenseActivation.Relu),
            new DenseSpec(64, 32, true, DenseActivation.Relu),
            new DenseSpec(32, 1, true, DenseActivation.Tanh),
        ], options.BatchSize);
        int index = 0;
        foreach (Parameter p in mlp.parameters())
        {
            stack.CopyIn(index++, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(p.bytes),
                stack.Parameters);
        }

        var m = new float[stack.ParameterCount];
        var v = new float[stack.ParameterCount];
        var target = new float[options.BatchSize];
        var shuffler = new FakeData.EpochShuffler(size, (int)options.Seed);
        var reports = new List<EmbeddingReport>();
        var epochMeans = new List<double>();
        long batches = 0, step = 0;
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Starting an Iteration {epoch + 1}"));
            log?.Invoke(string.Empty);
            long[] order = [.. shuffler];
            double currentLoss = 0, epochLoss = 0;
            int i = 0;
            for (int start = 0; start < size; start += options.BatchSize, i++)
            {
                int rows = Math.Min(options.BatchSize, size - start);
                Span<float> input = stack.Input;
                for (int r = 0; r < rows; r++)
                {
                    long item = order[start + r];
                    images.AsSpan((int)(item * features), features).CopyTo(input.Slice(r * features, features));
                    target[r] = targets[item];
                }

                stack.Forward(rows);
                // The batch loss in float32, as torch's mean gives it.
                float loss = (float)FusedLosses.Compute(FusedLossKind.HingeEmbedding, (float)options.Margin,
                    stack.Output[..rows], target.AsSpan(0, rows), stack.OutputGradient[..rows]);
                stack.Backward(rows);
                step++;
                double correction1 = 1.0 - Math.Pow(Beta1, step), correction2 = 1.0 - Math.Pow(Beta2, step);
                OptimizerKernels.Adam(stack.Parameters, stack.Gradients, m, v, Beta1, Beta2,
                    (float)(options.LearningRate / correction1), (float)(1.0 / Math.Sqrt(correction2)), Epsilon);
                currentLoss += loss;
                epochLoss += loss;
                if (i % options.ReportEvery == 0)
                {
                    double value = currentLoss / 500;
                    reports.Add(new EmbeddingReport(epoch + 1, i + 1, value));
                    log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                        $"Loss after mini-batch {i + 1,5}: {value:F3}"));
                    currentLoss = 0;
                }
            }

            batches += i;
            epochMeans.Add(epochLoss / i);
        }

        clock.Stop();
        log?.Invoke("Training process has finished");
        return new EmbeddingDemoResult(reports, epochMeans, epochMeans[^1], batches, clock.Elapsed.TotalSeconds);
    }
}
