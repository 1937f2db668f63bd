#:project ../src/HingeSharp.Torch/HingeSharp.Torch.csproj
#:package libtorch-cpu-linux-x64
#:property Configuration=Release
#:property AssemblyName=HingeSharp.Benchmarks
#:property TreatWarningsAsErrors=false
using System.Diagnostics;
using HingeSharp.Kernels;
using HingeSharp.Torch.Keras.Fused;
using TorchSharp;
torch.set_num_threads(1);
var p = Process.GetCurrentProcess();
void T(string name, int n, Action a) { a(); p.Refresh(); var c0 = p.TotalProcessorTime; var sw = Stopwatch.StartNew(); for (int i = 0; i < n; i++) a(); p.Refresh(); Console.WriteLine($"{name}: wall {sw.Elapsed.TotalMilliseconds * 1000 / n:F2} us cpu {(p.TotalProcessorTime - c0).TotalMilliseconds * 1000 / n:F2} us"); }
using var stack = new DenseStack([new DenseSpec(2352, 64, true, DenseActivation.Relu), new DenseSpec(64, 32, true, DenseActivation.Relu), new DenseSpec(32, 1, true, DenseActivation.Tanh)], 64);
var rnd = new Random(1);
for (int i = 0; i < stack.Parameters.Length; i++) stack.Parameters[i] = ((float)rnd.NextDouble() - 0.5f) * 0.05f;
for (int i = 0; i < stack.Input.Length; i++) stack.Input[i] = (float)rnd.NextDouble();
var target = new float[64]; for (int i = 0; i < 64; i++) target[i] = i % 2 == 0 ? 1 : -1;
var m = new float[stack.ParameterCount]; var v = new float[stack.ParameterCount];
var src = new float[64 * 2352 * 4];
Console.WriteLine($"Vector<float>.Count {System.Numerics.Vector<float>.Count}");
for (int k = 0; k < 2; k++) {
T("forward", 300, () => stack.Forward(64));
T("loss", 300, () => FusedLosses.Compute(FusedLossKind.HingeEmbedding, 1f, stack.Output[..64], target, stack.OutputGradient[..64]));
T("backward", 300, () => stack.Backward(64));
T("adam", 300, () => OptimizerKernels.Adam(stack.Parameters, stack.Gradients, m, v, 0.9f, 0.999f, 1e-4f, 1f, 1e-8f));
T("gather", 300, () => { for (int r = 0; r < 64; r++) src.AsSpan(((r * 37) % 256) * 2352, 2352).CopyTo(stack.Input.Slice(r * 2352, 2352)); });
var a = torch.rand(64, 2352); var w = torch.rand(64, 2352); var o = torch.zeros(64, 64);
T("torch mm", 300, () => o.addmm_(a, w.t(), 0f, 1f));
}
