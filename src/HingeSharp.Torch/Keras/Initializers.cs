using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras weight initializers by name, applied in place to a TorchSharp tensor. Fan-in and fan-out are those of a
/// Keras <c>Dense</c> kernel (input width, units).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>glorot_uniform</term><description>U(−l, l), l = √(6 / (fan_in + fan_out)) (Keras' default kernel
/// initializer)</description></item>
/// <item><term>glorot_normal</term><description>truncated normal (±2σ), σ = √(2 / (fan_in + fan_out)) / 0.8796…
/// </description></item>
/// <item><term>he_uniform</term><description>U(−l, l), l = √(6 / fan_in)</description></item>
/// <item><term>he_normal</term><description>truncated normal (±2σ), σ = √(2 / fan_in) / 0.8796…</description></item>
/// <item><term>lecun_uniform</term><description>U(−l, l), l = √(3 / fan_in)</description></item>
/// <item><term>lecun_normal</term><description>truncated normal (±2σ), σ = √(1 / fan_in) / 0.8796…</description>
/// </item>
/// <item><term>random_uniform</term><description>U(−0.05, 0.05)</description></item>
/// <item><term>random_normal</term><description>N(0, 0.05²)</description></item>
/// <item><term>zeros, ones</term><description>constants (Keras' default bias initializer is zeros)</description>
/// </item>
/// </list>
/// The 0.87962566103423978 divisor is Keras' correction for the variance lost by truncating at two standard
/// deviations (<c>VarianceScaling</c>). Values are drawn with the tensor methods <c>uniform_</c>/<c>normal_</c>,
/// which honour the generator; TorchSharp 0.107's <c>nn.init.uniform_</c> and <c>nn.init.normal_</c> ignore their
/// generator argument, and its <c>nn.init.trunc_normal_</c> with a generator fills ones.
/// </remarks>
public static class Initializers
{
    private const double TruncationCorrection = 0.87962566103423978;

    /// <summary>The names <see cref="Apply"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
        "random_uniform", "random_normal", "zeros", "ones",
    ];

    /// <summary>Whether <paramref name="name"/> is a known initializer (case-insensitive).</summary>
    /// <param name="name">Initializer name.</param>
    /// <returns><see langword="true"/> when <see cref="Apply"/> accepts it.</returns>
    public static bool IsKnown(string name) => Names.Contains(Normalize(name));

    /// <summary>The bound l of the uniform initializers, U(−l, l), for the given fans.</summary>
    /// <param name="name">glorot_uniform, he_uniform, lecun_uniform or random_uniform.</param>
    /// <param name="fanIn">Input width.</param>
    /// <param name="fanOut">Output width.</param>
    /// <returns>The limit.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a uniform initializer.</exception>
    public static double UniformLimit(string name, long fanIn, long fanOut) => Normalize(name) switch
    {
        "glorot_uniform" => Math.Sqrt(6.0 / (fanIn + fanOut)),
        "he_uniform" => Math.Sqrt(6.0 / fanIn),
        "lecun_uniform" => Math.Sqrt(3.0 / fanIn),
        "random_uniform" => 0.05,
        _ => throw new ArgumentException($"`{name}` is not a uniform initializer.", nameof(name)),
    };

    /// <summary>Fills <paramref name="tensor"/> in place (under <c>no_grad</c>).</summary>
    /// <param name="name">Initializer name (case-insensitive), one of <see cref="Names"/>.</param>
    /// <param name="tensor">The weight to fill.</param>
    /// <param name="fanIn">Input width.</param>
    /// <param name="fanOut">Output width.</param>
    /// <param name="generator">Random generator; <see langword="null"/> uses torch's default generator (so
    /// <c>torch.manual_seed</c> makes the result reproducible).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is unknown.</exception>
    public static void Apply(string name, Tensor tensor, long fanIn, long fanOut, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        string key = Normalize(name);
        using var noGrad = torch.no_grad();
        switch (key)
        {
            case "glorot_uniform" or "he_uniform" or "lecun_uniform" or "random_uniform":
                double limit = UniformLimit(key, fanIn, fanOut);
                tensor.uniform_(-limit, limit, generator);
                break;
            case "glorot_normal":
                TruncatedNormal(tensor, Math.Sqrt(2.0 / (fanIn + fanOut)) / TruncationCorrection, generator);
                break;
            case "he_normal":
                TruncatedNormal(tensor, Math.Sqrt(2.0 / fanIn) / TruncationCorrection, generator);
                break;
            case "lecun_normal":
                TruncatedNormal(tensor, Math.Sqrt(1.0 / fanIn) / TruncationCorrection, generator);
                break;
            case "random_normal":
                tensor.normal_(0.0, 0.05, generator);
                break;
            case "zeros":
                tensor.zero_();
                break;
            case "ones":
                tensor.fill_(1.0);
                break;
            default:
                throw new ArgumentException(
                    $"Unknown initializer `{name}`; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
    }

    internal static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "glorotuniform" or "xavier_uniform" => "glorot_uniform",
            "glorotnormal" or "xavier_normal" => "glorot_normal",
            "heuniform" => "he_uniform",
            "henormal" => "he_normal",
            "lecununiform" => "lecun_uniform",
            "lecunnormal" => "lecun_normal",
            "randomuniform" => "random_uniform",
            "randomnormal" => "random_normal",
            string s => s,
        };
    }

    /// <summary>N(0, std²) truncated to ±2·std by redrawing the values outside (TensorFlow's rejection
    /// sampling).</summary>
    private static void TruncatedNormal(Tensor tensor, double std, Generator? generator)
    {
        tensor.normal_(0.0, std, generator);
        while (true)
        {
            using var scope = torch.NewDisposeScope();
            Tensor outside = tensor.abs().gt(2.0 * std);
            if (!outside.any().item<bool>())
            {
                return;
            }

            Tensor fresh = torch.empty_like(tensor).normal_(0.0, std, generator);
            tensor.copy_(torch.where(outside, fresh, tensor));
        }
    }
}
