using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HingeSharp.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras.Fused;

/// <summary>One dense layer of a <see cref="DenseStack"/>: <c>f(x · Wᵀ + b)</c>, <c>W</c> of shape
/// <c>(Out, In)</c> as in torch's <c>Linear</c>.</summary>
/// <param name="In">Input width.</param>
/// <param name="Out">Output width.</param>
/// <param name="HasBias">Whether the layer has a bias.</param>
/// <param name="Activation">The activation.</param>
internal readonly record struct DenseSpec(int In, int Out, bool HasBias, DenseActivation Activation);

/// <summary>
/// A stack of dense layers trained without autograd: explicit forward and backward formulas over buffers
/// allocated once (CPU float32), every parameter laid end to end in one flat buffer (weights then bias, layer by
/// layer: the order of <c>Module.parameters()</c>) with its gradient in the same layout, so that an optimizer
/// updates everything in one pass. Small layers run in managed code (<see cref="DenseLayerKernels"/>); layers of
/// <see cref="TorchGemmThreshold"/> weights or more call libtorch's GEMM (<c>addmm_</c> into preallocated
/// tensors), two native calls per step for such a layer.
/// </summary>
internal sealed unsafe class DenseStack : IDisposable
{
    /// <summary>Layers with at least this many weights multiply through libtorch.</summary>
    internal const long TorchGemmThreshold = 16384;

    private readonly DenseSpec[] _layers;
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly List<Tensor> _owned = [];
    private readonly Tensor _paramTensor;
    private readonly Tensor _gradTensor;
    private readonly Tensor[] _activationTensors;
    private readonly Tensor[] _deltaTensors;
    private readonly Tensor _inputTensor;
    private readonly float* _params;
    private readonly float* _grads;
    private readonly float* _input;
    private readonly nint[] _activations;
    private readonly nint[] _deltas;
    private readonly TorchGemm?[] _gemm;
    private readonly bool[] _transposed;
    private readonly List<(int Offset, int Length, int Rows, int Columns, bool Transposed)> _tensorSlots = [];
    private bool _disposed;

    /// <summary>Allocates the buffers for batches of up to <paramref name="maxRows"/> rows.</summary>
    internal DenseStack(IReadOnlyList<DenseSpec> layers, int maxRows)
    {
        _layers = [.. layers];
        MaxRows = maxRows;
        _weightOffset = new int[_layers.Length];
        _biasOffset = new int[_layers.Length];
        int count = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            _weightOffset[l] = count;
            count += _layers[l].In * _layers[l].Out;
            _biasOffset[l] = count;
            count += _layers[l].HasBias ? _layers[l].Out : 0;
        }

        ParameterCount = count;
        _paramTensor = Own(torch.zeros(count, ScalarType.Float32));
        _gradTensor = Own(torch.zeros(count, ScalarType.Float32));
        _params = Pointer(_paramTensor);
        _grads = Pointer(_gradTensor);
        _inputTensor = Own(torch.zeros([maxRows, _layers[0].In], ScalarType.Float32));
        _input = Pointer(_inputTensor);
        _activationTensors = new Tensor[_layers.Length];
        _deltaTensors = new Tensor[_layers.Length];
        _activations = new nint[_layers.Length];
        _deltas = new nint[_layers.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            _activationTensors[l] = Own(torch.zeros([maxRows, _layers[l].Out], ScalarType.Float32));
            _deltaTensors[l] = Own(torch.zeros([maxRows, _layers[l].Out], ScalarType.Float32));
            _activations[l] = (nint)Pointer(_activationTensors[l]);
            _deltas[l] = (nint)Pointer(_deltaTensors[l]);
        }

        _gemm = new TorchGemm?[_layers.Length];
        _transposed = new bool[_layers.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            DenseSpec layer = _layers[l];
            if ((long)layer.In * layer.Out >= TorchGemmThreshold)
            {
                _gemm[l] = new TorchGemm(this, l);
            }
            else
            {
                // Wide outputs from narrow inputs: keep W transposed, (in, out), so rows are axpys over outputs.
                _transposed[l] = layer.Out > layer.In;
            }

            _tensorSlots.Add((_weightOffset[l], layer.In * layer.Out, layer.Out, layer.In, _transposed[l]));
            if (layer.HasBias)
            {
                _tensorSlots.Add((_biasOffset[l], layer.Out, 1, layer.Out, false));
            }
        }
    }

    /// <summary>Number of parameter tensors the stack stands for (weight, then bias if any, per layer).</summary>
    internal int TensorCount => _tensorSlots.Count;

    /// <summary>Copies parameter tensor <paramref name="index"/> (torch layout) into its place in a flat buffer
    /// laid out as <see cref="Parameters"/> (the parameters themselves, or an optimizer slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void CopyIn(int index, ReadOnlySpan<float> values, Span<float> flat)
    {
        (int offset, int length, int rows, int columns, bool transposed) = _tensorSlots[index];
        Span<float> target = flat.Slice(offset, length);
        if (!transposed)
        {
            values[..length].CopyTo(target);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                target[(c * rows) + r] = values[(r * columns) + c];
            }
        }
    }

    /// <summary>The inverse of <see cref="CopyIn"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void CopyOut(int index, ReadOnlySpan<float> flat, Span<float> values)
    {
        (int offset, int length, int rows, int columns, bool transposed) = _tensorSlots[index];
        ReadOnlySpan<float> source = flat.Slice(offset, length);
        if (!transposed)
        {
            source.CopyTo(values);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[(r * columns) + c] = source[(c * rows) + r];
            }
        }
    }

    /// <summary>The layers.</summary>
    internal IReadOnlyList<DenseSpec> Layers => _layers;

    /// <summary>Largest batch the buffers hold.</summary>
    internal int MaxRows { get; }

    /// <summary>Number of parameters (floats in <see cref="Parameters"/>).</summary>
    internal int ParameterCount { get; }

    /// <summary>Input width.</summary>
    internal int InputWidth => _layers[0].In;

    /// <summary>Output width.</summary>
    internal int OutputWidth => _layers[^1].Out;

    /// <summary>Every parameter, end to end.</summary>
    internal Span<float> Parameters => new(_params, ParameterCount);

    /// <summary>The gradients of the last <see cref="Backward"/>, laid out as <see cref="Parameters"/>.</summary>
    internal Span<float> Gradients => new(_grads, ParameterCount);

    /// <summary>The input rows of the next pass, <c>(MaxRows, InputWidth)</c> row-major.</summary>
    internal Span<float> Input => new(_input, MaxRows * InputWidth);

    /// <summary>The outputs of the last <see cref="Forward"/>, <c>(rows, OutputWidth)</c>.</summary>
    internal Span<float> Output => new((void*)_activations[^1], MaxRows * OutputWidth);

    /// <summary>Where the loss writes d loss / d output before <see cref="Backward"/>.</summary>
    internal Span<float> OutputGradient => new((void*)_deltas[^1], MaxRows * OutputWidth);

    /// <summary>Runs the layers on the first <paramref name="rows"/> rows of <see cref="Input"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Forward(int rows)
    {
        float* x = _input;
        for (int l = 0; l < _layers.Length; l++)
        {
            DenseSpec layer = _layers[l];
            var z = new Span<float>((void*)_activations[l], rows * layer.Out);
            ReadOnlySpan<float> bias = layer.HasBias
                ? new ReadOnlySpan<float>(_params + _biasOffset[l], layer.Out)
                : default;
            if (_gemm[l] is { } gemm)
            {
                gemm.Forward(rows);
                if (layer.HasBias)
                {
                    DenseLayerKernels.AddBias(z, rows, bias);
                }
            }
            else if (_transposed[l])
            {
                DenseLayerKernels.LinearTransposed(new ReadOnlySpan<float>(x, rows * layer.In), rows, layer.In,
                    new ReadOnlySpan<float>(_params + _weightOffset[l], layer.In * layer.Out), bias, z, layer.Out);
            }
            else
            {
                DenseLayerKernels.Linear(new ReadOnlySpan<float>(x, rows * layer.In), rows, layer.In,
                    new ReadOnlySpan<float>(_params + _weightOffset[l], layer.In * layer.Out), bias, z, layer.Out);
            }

            DenseLayerKernels.Activate(layer.Activation, z);
            x = (float*)_activations[l];
        }
    }

    /// <summary>Back-propagates <see cref="OutputGradient"/> through the last <see cref="Forward"/> into
    /// <see cref="Gradients"/> (overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Backward(int rows)
    {
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            DenseSpec layer = _layers[l];
            var delta = new Span<float>((void*)_deltas[l], rows * layer.Out);
            DenseLayerKernels.ActivationBackward(layer.Activation,
                new ReadOnlySpan<float>((void*)_activations[l], rows * layer.Out), delta);
            float* x = l == 0 ? _input : (float*)_activations[l - 1];
            var weightGradient = new Span<float>(_grads + _weightOffset[l], layer.In * layer.Out);
            Span<float> biasGradient = layer.HasBias ? new Span<float>(_grads + _biasOffset[l], layer.Out) : default;
            if (_gemm[l] is { } gemm)
            {
                gemm.WeightGradient(rows);
                if (layer.HasBias)
                {
                    biasGradient.Clear();
                    for (int r = 0; r < rows; r++)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(biasGradient,
                            delta.Slice(r * layer.Out, layer.Out), biasGradient);
                    }
                }

                if (l > 0)
                {
                    gemm.InputGradient(rows);
                }
            }
            else if (_transposed[l])
            {
                DenseLayerKernels.WeightGradientTransposed(delta, rows, layer.Out,
                    new ReadOnlySpan<float>(x, rows * layer.In), layer.In, weightGradient, biasGradient);
                if (l > 0)
                {
                    DenseLayerKernels.InputGradientTransposed(delta, rows, layer.Out,
                        new ReadOnlySpan<float>(_params + _weightOffset[l], layer.In * layer.Out), layer.In,
                        new Span<float>((void*)_deltas[l - 1], rows * layer.In));
                }
            }
            else
            {
                DenseLayerKernels.WeightGradient(delta, rows, layer.Out, new ReadOnlySpan<float>(x, rows * layer.In),
                    layer.In, weightGradient, biasGradient);
                if (l > 0)
                {
                    DenseLayerKernels.InputGradient(delta, rows, layer.Out,
                        new ReadOnlySpan<float>(_params + _weightOffset[l], layer.In * layer.Out), layer.In,
                        new Span<float>((void*)_deltas[l - 1], rows * layer.In));
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (TorchGemm? gemm in _gemm)
        {
            gemm?.Dispose();
        }

        foreach (Tensor t in _owned)
        {
            t.Dispose();
        }
    }

    private static float* Pointer(Tensor tensor)
        => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));

    private Tensor Own(Tensor tensor)
    {
        tensor.DetachFromDisposeScope();
        _owned.Add(tensor);
        return tensor;
    }

    /// <summary>Tensor views over one large layer's buffers for libtorch's GEMM; full batches use views made
    /// once, only a shorter last batch makes (and frees) narrowed ones.</summary>
    private sealed class TorchGemm : IDisposable
    {
        private readonly int _maxRows;
        private readonly Tensor _weight;
        private readonly Tensor _weightT;
        private readonly Tensor _weightGradient;
        private readonly Tensor _x;
        private readonly Tensor _z;
        private readonly Tensor _delta;
        private readonly Tensor _deltaT;
        private readonly Tensor? _previousDelta;

        internal TorchGemm(DenseStack stack, int l)
        {
            DenseSpec layer = stack._layers[l];
            _maxRows = stack.MaxRows;
            long weights = (long)layer.In * layer.Out;
            _weight = View(stack._paramTensor.narrow(0, stack._weightOffset[l], weights), layer.Out, layer.In);
            _weightT = _weight.t().DetachFromDisposeScope();
            _weightGradient = View(stack._gradTensor.narrow(0, stack._weightOffset[l], weights), layer.Out,
                layer.In);
            _x = (l == 0 ? stack._inputTensor : stack._activationTensors[l - 1]).alias().DetachFromDisposeScope();
            _z = stack._activationTensors[l].alias().DetachFromDisposeScope();
            _delta = stack._deltaTensors[l].alias().DetachFromDisposeScope();
            _deltaT = _delta.t().DetachFromDisposeScope();
            _previousDelta = l == 0 ? null : stack._deltaTensors[l - 1].alias().DetachFromDisposeScope();
        }

        /// <summary><c>z = x · Wᵀ</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Forward(int rows)
        {
            if (rows == _maxRows)
            {
                Done(_z, _z.addmm_(_x, _weightT, 0f, 1f));
                return;
            }

            using Tensor z = _z.narrow(0, 0, rows);
            using Tensor x = _x.narrow(0, 0, rows);
            Done(z, z.addmm_(x, _weightT, 0f, 1f));
        }

        /// <summary><c>dW = δᵀ · x</c>.</summary>
        internal void WeightGradient(int rows)
        {
            if (rows == _maxRows)
            {
                Done(_weightGradient, _weightGradient.addmm_(_deltaT, _x, 0f, 1f));
                return;
            }

            using Tensor delta = _delta.narrow(0, 0, rows);
            using Tensor deltaT = delta.t();
            using Tensor x = _x.narrow(0, 0, rows);
            Done(_weightGradient, _weightGradient.addmm_(deltaT, x, 0f, 1f));
        }

        /// <summary><c>δ_prev = δ · W</c>.</summary>
        internal void InputGradient(int rows)
        {
            if (rows == _maxRows)
            {
                Done(_previousDelta!, _previousDelta!.addmm_(_delta, _weight, 0f, 1f));
                return;
            }

            using Tensor previous = _previousDelta!.narrow(0, 0, rows);
            using Tensor delta = _delta.narrow(0, 0, rows);
            Done(previous, previous.addmm_(delta, _weight, 0f, 1f));
        }

        public void Dispose()
        {
            foreach (Tensor? t in (Tensor?[])[_weight, _weightT, _weightGradient, _x, _z, _delta, _deltaT,
                _previousDelta])
            {
                t?.Dispose();
            }
        }

        private static Tensor View(Tensor flat, long rows, long columns)
        {
            Tensor view = flat.view(rows, columns).DetachFromDisposeScope();
            flat.Dispose();
            return view;
        }

        private static void Done(Tensor target, Tensor result)
        {
            if (!ReferenceEquals(target, result))
            {
                result.Dispose();
            }
        }
    }
}
