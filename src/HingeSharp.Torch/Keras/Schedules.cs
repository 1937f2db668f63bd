using System.Text.Json.Nodes;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// A learning rate as a function of the optimizer's step count (Keras' <c>LearningRateSchedule</c>); set it as
/// <see cref="KerasOptimizer.Schedule"/>. The step is <see cref="KerasOptimizer.Iterations"/> before the update,
/// so the first step uses <c>Compute(0)</c>.
/// </summary>
/// <example><code>
/// var optimizer = new SGD { Schedule = new ExponentialDecay(0.1, decaySteps: 100, decayRate: 0.5) };
/// </code></example>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at a step.</summary>
    /// <param name="iteration">Steps applied so far, &gt;= 0.</param>
    /// <returns>The learning rate.</returns>
    public abstract double Compute(long iteration);

    /// <summary>The schedule's settings (for saving).</summary>
    internal abstract JsonObject GetConfig();

    /// <summary>Recreates a schedule from <see cref="GetConfig"/>.</summary>
    internal static LearningRateSchedule FromConfig(JsonObject c) => (string?)c["name"] switch
    {
        nameof(ExponentialDecay) => new ExponentialDecay((double)c["initial"]!, (long)c["decay_steps"]!,
            (double)c["decay_rate"]!, (bool)c["staircase"]!),
        nameof(PiecewiseConstantDecay) => new PiecewiseConstantDecay(
            c["boundaries"]!.AsArray().Select(b => (long)b!).ToArray(),
            c["values"]!.AsArray().Select(v => (double)v!).ToArray()),
        nameof(CosineDecay) => new CosineDecay((double)c["initial"]!, (long)c["decay_steps"]!, (double)c["alpha"]!,
            (double?)c["warmup_target"], (long)c["warmup_steps"]!),
        string name => throw new InvalidDataException($"Unknown learning-rate schedule `{name}` in the model file."),
        null => throw new InvalidDataException("A learning-rate schedule in the model file has no name."),
    };

    /// <summary>Checks a positive finite rate.</summary>
    private protected static double Rate(double value, string name) => value > 0.0 && double.IsFinite(value)
        ? value
        : throw new ArgumentOutOfRangeException(name, value,
            $"Expected `{name}` to be a positive finite number, but got {value}.");
}

/// <summary>Keras' <c>ExponentialDecay</c>: <c>lr₀ · rate^(step / decaySteps)</c>, the exponent floored when
/// <see cref="Staircase"/>.</summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">lr₀, &gt; 0.</param>
    /// <param name="decaySteps">Steps per decay period, &gt;= 1.</param>
    /// <param name="decayRate">Factor per period, &gt; 0.</param>
    /// <param name="staircase">Whether to decay in whole periods.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(decaySteps, 1);
        InitialLearningRate = Rate(initialLearningRate, nameof(initialLearningRate));
        DecaySteps = decaySteps;
        DecayRate = Rate(decayRate, nameof(decayRate));
        Staircase = staircase;
    }

    /// <summary>lr₀.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps per decay period.</summary>
    public long DecaySteps { get; }

    /// <summary>Factor per period.</summary>
    public double DecayRate { get; }

    /// <summary>Whether the exponent is floored.</summary>
    public bool Staircase { get; }

    /// <inheritdoc/>
    public override double Compute(long iteration)
    {
        long step = iteration;
        double p = (double)step / DecaySteps;
        return InitialLearningRate * Math.Pow(DecayRate, Staircase ? Math.Floor(p) : p);
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["name"] = nameof(ExponentialDecay), ["initial"] = InitialLearningRate, ["decay_steps"] = DecaySteps,
        ["decay_rate"] = DecayRate, ["staircase"] = Staircase,
    };
}

/// <summary>Keras' <c>PiecewiseConstantDecay</c>: <c>values[0]</c> while <c>step ≤ boundaries[0]</c>,
/// <c>values[i]</c> while <c>boundaries[i−1] &lt; step ≤ boundaries[i]</c>, <c>values[^1]</c> after the last
/// boundary.</summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates the schedule.</summary>
    /// <param name="boundaries">Increasing step boundaries.</param>
    /// <param name="values">One more value than boundaries, each &gt; 0.</param>
    /// <exception cref="ArgumentException">Counts do not fit, boundaries do not increase, or a value is not
    /// positive.</exception>
    public PiecewiseConstantDecay(IReadOnlyList<long> boundaries, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != boundaries.Count + 1)
        {
            throw new ArgumentException($"Expected one more value than boundaries, but got {boundaries.Count} "
                + $"boundaries and {values.Count} values.", nameof(values));
        }

        for (int i = 1; i < boundaries.Count; i++)
        {
            if (boundaries[i] <= boundaries[i - 1])
            {
                throw new ArgumentException($"Expected increasing boundaries, but boundaries[{i}] = {boundaries[i]} "
                    + $"<= boundaries[{i - 1}] = {boundaries[i - 1]}.", nameof(boundaries));
            }
        }

        _boundaries = [.. boundaries];
        _values = values.Select((v, i) => Rate(v, $"values[{i}]")).ToArray();
    }

    /// <summary>The boundaries.</summary>
    public IReadOnlyList<long> Boundaries => _boundaries;

    /// <summary>The values.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc/>
    public override double Compute(long iteration)
    {
        long step = iteration;
        int i = 0;
        while (i < _boundaries.Length && step > _boundaries[i])
        {
            i++;
        }

        return _values[i];
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["name"] = nameof(PiecewiseConstantDecay),
        ["boundaries"] = new JsonArray(_boundaries.Select(b => (JsonNode)b).ToArray()),
        ["values"] = new JsonArray(_values.Select(v => (JsonNode)v).ToArray()),
    };
}

/// <summary>Keras' <c>CosineDecay</c>: optional linear warm-up from lr₀ to <see cref="WarmupTarget"/> over
/// <see cref="WarmupSteps"/>, then <c>peak·((1 − α)·½·(1 + cos(π·s / decaySteps)) + α)</c> with s clamped to
/// decaySteps (peak = the warm-up target, or lr₀ without warm-up).</summary>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">lr₀, &gt; 0.</param>
    /// <param name="decaySteps">Steps of the cosine decay, &gt;= 1.</param>
    /// <param name="alpha">Floor as a fraction of the peak, in [0, 1].</param>
    /// <param name="warmupTarget">Rate reached after the warm-up; <see langword="null"/> for no warm-up.</param>
    /// <param name="warmupSteps">Warm-up steps, &gt;= 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0.0, double? warmupTarget = null,
        long warmupSteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(decaySteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (!(alpha >= 0.0 && alpha <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"Expected `alpha` in [0, 1], but got {alpha}.");
        }

        InitialLearningRate = Rate(initialLearningRate, nameof(initialLearningRate));
        DecaySteps = decaySteps;
        Alpha = alpha;
        WarmupTarget = warmupTarget is { } t ? Rate(t, nameof(warmupTarget)) : null;
        WarmupSteps = warmupSteps;
    }

    /// <summary>lr₀.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps of the cosine decay.</summary>
    public long DecaySteps { get; }

    /// <summary>Floor fraction α.</summary>
    public double Alpha { get; }

    /// <summary>Rate after warm-up, if any.</summary>
    public double? WarmupTarget { get; }

    /// <summary>Warm-up steps.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc/>
    public override double Compute(long iteration)
    {
        long step = iteration;
        double peak = InitialLearningRate;
        if (WarmupTarget is { } target)
        {
            if (step < WarmupSteps)
            {
                return InitialLearningRate + ((target - InitialLearningRate) * step / WarmupSteps);
            }

            peak = target;
            step -= WarmupSteps;
        }

        double s = Math.Min(step, DecaySteps);
        double cosine = 0.5 * (1.0 + Math.Cos(Math.PI * s / DecaySteps));
        return peak * (((1.0 - Alpha) * cosine) + Alpha);
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["name"] = nameof(CosineDecay), ["initial"] = InitialLearningRate, ["decay_steps"] = DecaySteps,
        ["alpha"] = Alpha, ["warmup_target"] = WarmupTarget, ["warmup_steps"] = WarmupSteps,
    };
}
