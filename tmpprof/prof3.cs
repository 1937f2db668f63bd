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
using var stack = new DenseStack([new DenseSpec(2, 50, true, DenseActivation.Relu), new DenseSpec(50, 1, true, DenseActivation.Tanh)], 32);
var rnd = new Random(1);
for (int i = 0; i < stack.Parameters.Length; i++) stack.Parameters[i] = (float)rnd.NextDouble() - 0.5f;
for (int i = 0; i < 64; i++) stack.Input[i] = (float)rnd.NextDouble();
var target = new float[32]; for (int i = 0; i < 32; i++) target[i] = i % 2 == 0 ? 1 : -1;
var vel = new float[stack.ParameterCount];
for (int k = 0; k < 3; k++) {
T("forward", 20000, () => stack.Forward(32));
T("loss", 20000, () => FusedLosses.Compute(FusedLossKind.Hinge, 1f, stack.Output[..32], target, stack.OutputGradient[..32]));
T("backward", 20000, () => stack.Backward(32));
T("sgd", 20000, () => OptimizerKernels.SgdMomentum(stack.Parameters, stack.Gradients, vel, 0.01f, 0.9f, false));
var z = new float[32 * 50];
T("linear only", 20000, () => DenseKernels.Linear(stack.Input[..64], 32, 2, stack.Parameters[..100], stack.Parameters.Slice(100, 50), z, 50));
T("relu only", 20000, () => DenseKernels.Activate(DenseActivation.Relu, z));
T("tanh32", 20000, () => DenseKernels.Activate(DenseActivation.Tanh, z.AsSpan(0, 32)));
}
var a = new float[3200]; var b = new float[3200]; float acc = 0;
T("plain 3200 mac", 20000, () => { float s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; acc += s; });
var zz = new float[32 * 50];
var w = stack.Parameters[..100].ToArray(); var bias = stack.Parameters.Slice(100, 50).ToArray(); var xin = stack.Input[..64].ToArray();
T("linear arrays", 20000, () => DenseKernels.Linear(xin, 32, 2, w, bias, zz, 50));
T("linear arrays nobias", 20000, () => DenseKernels.Linear(xin, 32, 2, w, default, zz, 50));
Console.WriteLine(acc);
