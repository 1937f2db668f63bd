using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>Dropout drawing its masks from a given generator (TorchSharp's <c>nn.Dropout</c> always uses the
/// default one): in training <c>x·mask / (1 − rate)</c> with <c>mask = U[0, 1) ≥ rate</c>.</summary>
internal sealed class GeneratorDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _rate;
    private readonly Generator? _generator;

    public GeneratorDropout(double rate, Generator? generator)
        : base("Dropout")
    {
        _rate = rate;
        _generator = generator;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _rate == 0.0)
        {
            return input.alias();
        }

        Device maskDevice = _generator?.device ?? input.device;
        using Tensor uniform = torch.rand(input.shape, ScalarType.Float32, maskDevice, generator: _generator);
        using Tensor keep = uniform.ge(_rate).to(input.dtype, input.device);
        return input.mul(keep).div_(1.0 - _rate);
    }
}

/// <summary>Keras' batch normalization over the last axis (biased batch variance, Keras momentum).</summary>
internal sealed class KerasBatchNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _momentum;
    private readonly double _epsilon;
    private readonly bool _center;
    private readonly bool _scale;

    public KerasBatchNorm(long features, double momentum, double epsilon, bool center, bool scale)
        : base("BatchNormalization")
    {
        _momentum = momentum;
        _epsilon = epsilon;
        _center = center;
        _scale = scale;
        if (scale)
        {
            register_parameter("gamma", new Parameter(torch.ones(features)));
        }

        if (center)
        {
            register_parameter("beta", new Parameter(torch.zeros(features)));
        }

        register_buffer("moving_mean", torch.zeros(features));
        register_buffer("moving_variance", torch.ones(features));
    }

    public override Tensor forward(Tensor input)
    {
        Tensor movingMean = get_buffer("moving_mean")!;
        Tensor movingVariance = get_buffer("moving_variance")!;
        Tensor mean, variance;
        if (training)
        {
            long[] dims = Enumerable.Range(0, (int)input.dim() - 1).Select(d => (long)d).ToArray();
            mean = input.mean(dims);
            variance = input.sub(mean).square().mean(dims);
            using (torch.no_grad())
            {
                movingMean.mul_(_momentum).add_(mean.detach(), alpha: 1.0 - _momentum);
                movingVariance.mul_(_momentum).add_(variance.detach(), alpha: 1.0 - _momentum);
            }
        }
        else
        {
            mean = movingMean;
            variance = movingVariance;
        }

        Tensor output = input.sub(mean).mul(variance.add(_epsilon).rsqrt());
        if (_scale)
        {
            output = output.mul(get_parameter("gamma")!);
        }

        return _center ? output.add(get_parameter("beta")!) : output;
    }
}
